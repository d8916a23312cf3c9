#include "web/server.hpp"

namespace pathway::web {

void ApplyStandardHeaders(Response& response, bool hsts) {
  if (hsts) response.SetHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  response.SetHeader("Content-Security-Policy",
                     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' "
                     "data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri "
                     "'none'; form-action 'self'; frame-ancestors 'none'");
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("Referrer-Policy", "same-origin");
  response.SetHeader("Permissions-Policy",
                     "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                     "interest-cohort=()");
  response.SetHeader("Cross-Origin-Opener-Policy", "same-origin");
  if (response.Header("Cache-Control").empty()) response.SetHeader("Cache-Control", "no-store");
}

}  // namespace pathway::web
