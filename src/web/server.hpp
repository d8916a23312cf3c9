// The HTTP/1.1 server: Boost.Beast over Asio, kept behind this header so that no
// other file pays for Beast's compile time.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "domain/result.hpp"
#include "web/http.hpp"

namespace pathway::web {

class Router;
class Metrics;
class ErrorPages;

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port; see Server::port()
  int io_threads = 0;          // 0: one per core
  int workers = 0;             // threads for blocking handlers; 0: two per core
  int queue_capacity = 256;    // requests admitted to the workers before 503
  // Open connections allowed overall and from one client address; a connection over
  // either cap is answered 503 with Retry-After and closed.
  int max_connections = 1024;
  int max_connections_per_address = 64;
  // Addresses of reverse proxies whose X-Forwarded-For is believed. A request from one
  // of them is attributed (throttling, audit, noise) to the right-most address in the
  // header that is not itself a trusted proxy; a malformed header leaves the peer's.
  // Connections from a trusted proxy count toward the overall cap only. Empty: the
  // header is ignored.
  std::vector<std::string> trusted_proxies;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  // Once a request has started, its headers and body must arrive within this time,
  // or the client gets 408.
  std::chrono::milliseconds read_timeout{15000};
  // A keep-alive connection with no request for this long is closed quietly. Sent to
  // clients in the Keep-Alive header so they stop reusing the connection first.
  std::chrono::milliseconds idle_timeout{30000};
  std::chrono::milliseconds write_timeout{30000};
  // Send Strict-Transport-Security: set when Pathway is reached only over HTTPS (behind
  // a TLS-terminating proxy).
  bool hsts = false;
  // How long a shutdown waits for in-flight requests before closing them.
  std::chrono::milliseconds shutdown_grace{20000};
};

// Serves `router` until SIGINT or SIGTERM, then stops accepting, finishes the requests
// in flight, closes idle connections and returns. Every response gets the standard
// security headers; every request is counted in `metrics` and written to the access
// log (JSON lines, no personal data: no client address, path parameters or query).
class Server {
 public:
  Server(ServerOptions options, const Router& router, const ErrorPages& errors, Metrics& metrics);
  ~Server();

  // Binds and listens. Unavailable if the address cannot be bound.
  domain::Status Listen();
  // The bound port (after Listen).
  unsigned short port() const;
  // Runs until a signal or Stop(); returns when drained.
  void Run();
  // Starts a graceful shutdown, as SIGTERM does. Thread-safe.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The client address of a request that came from `peer` with X-Forwarded-For
// `forwarded_for` (empty if absent): `peer` unless it is one of `trusted_proxies`, else
// the right-most entry that is not a trusted proxy, if every entry is an IP address.
std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies);

// Adds Content-Security-Policy, nosniff, Referrer-Policy, Permissions-Policy, a default
// Cache-Control (no-store) to a response that has not set its own, and HSTS if asked.
void ApplyStandardHeaders(Response& response, bool hsts = false);

}  // namespace pathway::web
