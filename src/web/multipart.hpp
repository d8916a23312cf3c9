// multipart/form-data (RFC 7578) bodies, as browsers send file uploads. Written by hand:
// Boost.Beast does not parse multipart bodies and Debian has no small library that does.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pathway::web {

struct FormPart {
  std::string name;      // the form field's name
  std::string filename;  // for a file, as the browser sent it; empty otherwise
  std::string content_type;
  std::string_view data;  // points into the body passed to ParseMultipart
};

// Splits `body` into its parts using the boundary named in `content_type`
// ("multipart/form-data; boundary=..."). nullopt if the content type is not multipart,
// names no boundary, or the body is not well formed.
std::optional<std::vector<FormPart>> ParseMultipart(std::string_view content_type,
                                                    std::string_view body);

}  // namespace pathway::web
