// <utility> must come before Asio's awaitable.hpp with Boost 1.74 and g++ 12.
#include <utility>

#include "web/server.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>

#include <sys/socket.h>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "web/errors.hpp"
#include "web/metrics.hpp"
#include "web/router.hpp"

namespace pathway::web {

// The largest body read from a request with no session cookie and no bearer token.
constexpr std::size_t kAnonymousBodyBytes = 64u << 10;
// The session cookie's name (web/auth.hpp's kSessionCookie), looked for in the header.
constexpr std::string_view kSessionCookieName = "__Host-pathway-session=";

// The most an early refusal reads and discards before closing (see LingeringClose).
constexpr std::size_t kMaxDrainBytes = 64u << 20;

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
using Clock = std::chrono::steady_clock;

namespace {

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("{:016x}", rng());
}

struct Connection {
  explicit Connection(tcp::socket socket)
      : stream(std::move(socket)), watchdog(stream.get_executor()) {}

  // Reads and writes must finish by the deadline, or the watchdog cancels them and sets
  // timed_out. One timer per connection that ticks, rather than a timer armed and
  // cancelled around every read and write; and not the stream's own expiry, which
  // closes the socket and so leaves no way to answer 408.
  void SetDeadline(std::chrono::milliseconds limit) {
    deadline = Clock::now() + limit;
    timed_out = false;
  }
  void ClearDeadline() { deadline = Clock::time_point::max(); }

  beast::tcp_stream stream;
  asio::steady_timer watchdog;
  Clock::time_point deadline = Clock::time_point::max();
  bool timed_out = false;
  bool closed = false;
  std::string remote_address;
  // True while a request is being read past its first byte, handled or answered.
  // Touched only on the connection's strand.
  bool busy = false;
};

int ThreadsOr(int configured, int per_core) {
  if (configured > 0) return configured;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return cores * per_core;
}

// Status for a read that failed after the client had started sending a request.
int StatusForReadError(const Connection& conn, const beast::error_code& ec) {
  if (conn.timed_out) return 408;
  if (ec == http::error::header_limit) return 431;
  if (ec == http::error::body_limit) return 413;
  return 400;
}

// Fills target, path (percent-decoded; empty when it cannot be decoded) and query.
void SetTarget(Request& request, std::string_view target) {
  request.target = std::string(target);
  const auto question = target.find('?');
  request.path = PercentDecode(target.substr(0, question), false).value_or(std::string{});
  if (question != std::string_view::npos) request.query = target.substr(question + 1);
}

// The status recorded for a request dropped because its client had gone (nginx's 499);
// never sent.
constexpr int kClientGone = 499;

// Whether the client on `fd` has closed its side or reset the connection. Peeks without
// blocking or consuming: pending bytes (a pipelined request) mean it is still there.
bool PeerGone(int fd) {
  if (fd < 0) return false;
  char byte;
  const ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0) return true;
  if (n > 0) return false;
  return errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;
}

// The address in its canonical text (so that "::ffff:10.0.0.1" style variants and
// spellings compare equal), or nullopt if `text` is not an IP address.
std::optional<std::string> CanonicalAddress(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty() || text.size() > 64) return std::nullopt;
  beast::error_code ec;
  const auto address = asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

bool IsTrusted(const std::string& address, const std::vector<std::string>& trusted) {
  return std::find(trusted.begin(), trusted.end(), address) != trusted.end();
}

}  // namespace

std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies) {
  if (trusted_proxies.empty() || forwarded_for.empty()) return peer;
  const auto canonical_peer = CanonicalAddress(peer);
  if (!canonical_peer || !IsTrusted(*canonical_peer, trusted_proxies)) return peer;
  // Right to left: each trusted proxy appended the address it received from.
  std::vector<std::string> entries;
  std::size_t start = 0;
  while (start <= forwarded_for.size()) {
    const auto comma = forwarded_for.find(',', start);
    const auto entry = forwarded_for.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    auto address = CanonicalAddress(entry);
    if (!address || entries.size() >= 64) return peer;  // malformed: believe none of it
    entries.push_back(std::move(*address));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (!IsTrusted(*it, trusted_proxies)) return *it;
  }
  return entries.empty() ? peer : entries.front();
}

struct Server::Impl {
  Impl(ServerOptions opts, const Router& r, const ErrorPages& e, Metrics& m)
      : options(std::move(opts)),
        router(r),
        errors(e),
        metrics(m),
        access_log(spdlog::get("access")),
        workers(static_cast<std::size_t>(ThreadsOr(options.workers, 2))) {
    for (auto& proxy : options.trusted_proxies) {
      if (auto canonical = CanonicalAddress(proxy)) proxy = *canonical;
    }
  }

  ServerOptions options;
  const Router& router;
  const ErrorPages& errors;
  Metrics& metrics;
  std::shared_ptr<spdlog::logger> access_log;

  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  asio::signal_set signals{ioc, SIGINT, SIGTERM};
  asio::steady_timer grace_timer{ioc};
  // Declared after the io_context so it is joined (destroyed) first.
  asio::thread_pool workers;

  std::atomic<bool> stopping{false};
  std::atomic<int> admitted{0};
  std::mutex connections_mutex;
  std::unordered_set<std::shared_ptr<Connection>> connections;
  // Open connections per client address (under connections_mutex).
  std::unordered_map<std::string, int> per_address;
  // How often each connection's watchdog checks its deadline: fine enough for the
  // shortest timeout, never busier than needed.
  const std::size_t largest_body = router.LargestBody(options.max_body_bytes);
  const std::chrono::milliseconds watchdog_tick = std::clamp<std::chrono::milliseconds>(
      std::min(options.read_timeout, options.idle_timeout) / 4, std::chrono::milliseconds(50),
      std::chrono::milliseconds(1000));
  const std::string keep_alive_header = fmt::format(
      "timeout={}", std::chrono::duration_cast<std::chrono::seconds>(options.idle_timeout).count());
  const Handler not_found = [this](Request& request) { return errors.ForStatus(request, 404); };

  awaitable<void> AcceptLoop();
  awaitable<void> Serve(std::shared_ptr<Connection> conn);
  // Answers 503 with Retry-After to a connection over the caps, then closes it.
  awaitable<void> Refuse(std::shared_ptr<Connection> conn);
  // `peer_fd`, when given, is the client's socket: a request whose client has gone by
  // the time a worker takes it up is dropped rather than run (answered kClientGone).
  awaitable<Response> Dispatch(Request& request, const RouteMatch& match, int peer_fd = -1);
  awaitable<Response> RunOnWorker(const Handler& handler, Request& request, int peer_fd = -1);
  awaitable<void> Write(Connection& conn, Response response, unsigned version, bool keep_alive,
                        bool head);
  // Stops sending, reads and discards up to `drain` bytes (at least the ordinary body
  // limit) for at most two seconds, then closes.
  awaitable<void> LingeringClose(Connection& conn, std::size_t drain = 0);
  void Watch(const std::shared_ptr<Connection>& conn);
  void Close(Connection& conn);
  void WaitForSignal();
  void BeginShutdown();
  void Finished(std::shared_ptr<Connection> conn);
  void Log(const Request& request, const std::string& route, int status, std::size_t bytes,
           Clock::time_point started);
};

Server::Server(ServerOptions options, const Router& router, const ErrorPages& errors,
               Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, errors, metrics)) {}

Server::~Server() = default;

domain::Status Server::Listen() {
  for (const auto& proxy : impl_->options.trusted_proxies) {
    if (!CanonicalAddress(proxy)) {
      return domain::Error::InvalidInput("trusted-proxy",
                                         fmt::format("'{}' is not an IP address", proxy));
    }
  }
  beast::error_code ec;
  const auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) {
    return domain::Error::InvalidInput(
        "listen", fmt::format("'{}' is not an IP address", impl_->options.host));
  }
  const tcp::endpoint endpoint(address, impl_->options.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return domain::Error::Unavailable(fmt::format(
        "Could not listen on {}:{}: {}", impl_->options.host, impl_->options.port, ec.message()));
  }
  return domain::Ok{};
}

unsigned short Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::Run() {
  impl_->WaitForSignal();
  asio::co_spawn(impl_->ioc, impl_->AcceptLoop(), asio::detached);
  const int io_threads = ThreadsOr(impl_->options.io_threads, 1);
  std::vector<std::thread> threads;
  for (int i = 1; i < io_threads; ++i) threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& thread : threads) thread.join();
  impl_->workers.join();
}

void Server::Stop() {
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->BeginShutdown(); });
}

void Server::Impl::WaitForSignal() {
  signals.async_wait([this](const beast::error_code& ec, int signal) {
    if (ec) return;
    if (stopping) {
      spdlog::warn("Second signal {}: stopping without waiting for requests in flight", signal);
      ioc.stop();
      return;
    }
    spdlog::info("Signal {}: finishing requests in flight, then stopping", signal);
    BeginShutdown();
    WaitForSignal();
  });
}

void Server::Impl::Watch(const std::shared_ptr<Connection>& conn) {
  conn->watchdog.expires_after(watchdog_tick);
  conn->watchdog.async_wait([this, conn](const beast::error_code& ec) {
    if (ec || conn->closed) return;
    if (Clock::now() >= conn->deadline) {
      conn->timed_out = true;
      conn->ClearDeadline();
      beast::error_code ignored;
      conn->stream.socket().cancel(ignored);
    }
    Watch(conn);
  });
}

void Server::Impl::Close(Connection& conn) {
  conn.closed = true;
  conn.watchdog.cancel();
  beast::error_code ec;
  conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  conn.stream.close();
}

void Server::Impl::BeginShutdown() {
  if (stopping.exchange(true)) return;
  beast::error_code ec;
  acceptor.close(ec);
  std::lock_guard lock(connections_mutex);
  if (connections.empty()) {
    ioc.stop();
    return;
  }
  // Idle keep-alive connections are closed now; busy ones close after their response.
  for (const auto& conn : connections) {
    asio::post(conn->stream.get_executor(), [conn] {
      if (!conn->busy) conn->stream.cancel();
    });
  }
  grace_timer.expires_after(options.shutdown_grace);
  grace_timer.async_wait([this](const beast::error_code& wait_ec) {
    if (wait_ec) return;
    spdlog::warn("Shutdown grace period over: closing remaining connections");
    ioc.stop();
  });
}

void Server::Impl::Finished(std::shared_ptr<Connection> conn) {
  std::lock_guard lock(connections_mutex);
  if (connections.erase(conn) > 0) {
    auto it = per_address.find(conn->remote_address);
    if (it != per_address.end() && --it->second <= 0) per_address.erase(it);
  }
  if (stopping && connections.empty()) ioc.stop();
}

awaitable<void> Server::Impl::AcceptLoop() {
  asio::steady_timer backoff(ioc);
  for (;;) {
    beast::error_code ec;
    tcp::socket socket = co_await acceptor.async_accept(asio::make_strand(ioc),
                                                        asio::redirect_error(use_awaitable, ec));
    if (stopping || ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // Out of file descriptors, usually: wait a moment rather than spin.
      spdlog::error("Accept failed: {}", ec.message());
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(asio::redirect_error(use_awaitable, ec));
      continue;
    }
    auto conn = std::make_shared<Connection>(std::move(socket));
    beast::error_code endpoint_ec;
    const auto peer = conn->stream.socket().remote_endpoint(endpoint_ec);
    if (!endpoint_ec) {
      const std::string text = peer.address().to_string();
      conn->remote_address = CanonicalAddress(text).value_or(text);
    }
    bool over_cap = false;
    {
      std::lock_guard lock(connections_mutex);
      int& from_address = per_address[conn->remote_address];
      over_cap = static_cast<int>(connections.size()) >= options.max_connections ||
                 (from_address >= options.max_connections_per_address &&
                  !IsTrusted(conn->remote_address, options.trusted_proxies));
      if (!over_cap) {
        ++from_address;
        connections.insert(conn);
      } else if (from_address == 0) {
        per_address.erase(conn->remote_address);
      }
    }
    if (over_cap) {
      metrics.RecordRejected("too-many-connections");
      asio::co_spawn(conn->stream.get_executor(), Refuse(conn), asio::detached);
      continue;
    }
    asio::co_spawn(conn->stream.get_executor(), Serve(conn), asio::detached);
  }
}

awaitable<void> Server::Impl::Serve(std::shared_ptr<Connection> conn) {
  beast::flat_buffer buffer;
  beast::error_code ec;
  Watch(conn);
  try {
    for (;;) {
      conn->busy = false;
      if (stopping) break;
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
      // The largest any route takes; narrowed to the route's own once the header says
      // which route it is.
      parser.body_limit(largest_body);
      if (buffer.size() == 0) {
        // Between requests: wait up to the idle timeout for the next one to start. A
        // connection that stays idle, closes, or is closed at shutdown goes quietly.
        conn->SetDeadline(options.idle_timeout);
        const std::size_t n = co_await conn->stream.async_read_some(
            buffer.prepare(8192), asio::redirect_error(use_awaitable, ec));
        if (ec) break;
        buffer.commit(n);
      }
      conn->busy = true;
      // The rest of the request must arrive within the read timeout.
      conn->SetDeadline(options.read_timeout);
      co_await http::async_read_header(conn->stream, buffer, parser,
                                       asio::redirect_error(use_awaitable, ec));
      const auto started = Clock::now();
      Request request;
      request.request_id = NewRequestId();
      {
        const auto forwarded = parser.get()["X-Forwarded-For"];
        request.remote_address = ClientAddress(conn->remote_address,
                                               std::string_view(forwarded.data(), forwarded.size()),
                                               options.trusted_proxies);
      }
      SetTarget(request, parser.get().target());
      if (ec) {
        // A client that closed, or an idle keep-alive connection that timed out or
        // was closed at shutdown, goes quietly; a request cut short gets an answer.
        if (!parser.got_some() || ec == http::error::end_of_stream) break;
        const int status = StatusForReadError(*conn, ec);
        metrics.RecordRejected(StatusCode(status).data());
        Response response = errors.ForStatus(request, status);
        Log(request, "(unread)", status, response.body.size(), started);
        co_await Write(*conn, std::move(response), 11, false, false);
        co_await LingeringClose(*conn);
        Finished(conn);
        co_return;
      }
      {
        Request probe;
        probe.method = std::string(parser.get().method_string());
        probe.path = request.path;
        const RouteMatch target = router.Match(probe);
        std::size_t limit = target.route != nullptr && target.route->max_body_bytes > 0
                                ? target.route->max_body_bytes
                                : options.max_body_bytes;
        // Nothing large is read for someone who sends no credentials: without a session
        // cookie or a bearer token, any body is capped small, whatever the route takes.
        const auto cookie = parser.get()[http::field::cookie];
        const bool credentials =
            !parser.get()[http::field::authorization].empty() ||
            std::string_view(cookie.data(), cookie.size()).find(kSessionCookieName) !=
                std::string_view::npos;
        if (!credentials) limit = std::min(limit, kAnonymousBodyBytes);
        // A route that takes large bodies (imports) takes them only from an actor who
        // holds its right: the session or token is checked now, before the body is
        // read; anyone else gets the small cap. A request with neither a length nor
        // chunked coding has no body (RFC 9112, 6.3), so a signed-in GET is not checked
        // twice (here on a worker, then by its handler).
        const bool may_be_large =
            parser.chunked() ||
            (parser.content_length() && *parser.content_length() > kAnonymousBodyBytes);
        if (limit > kAnonymousBodyBytes && may_be_large && target.route != nullptr &&
            router.large_body_gate()) {
          Request gate_request;
          gate_request.request_id = request.request_id;
          gate_request.remote_address = request.remote_address;
          gate_request.method = probe.method;
          gate_request.path = request.path;
          for (const auto& field : parser.get()) {
            const auto name_view = field.name_string();
            std::string name(name_view.data(), name_view.size());
            for (char& c : name) {
              c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
            if (name != "cookie" && name != "authorization") continue;
            const auto value = field.value();
            gate_request.headers.emplace_back(std::move(name),
                                              std::string(value.data(), value.size()));
          }
          const Route* route = target.route;
          const Handler gate = [this, route](Request& r) {
            Response verdict;
            verdict.status = router.large_body_gate()(r, *route) ? 200 : 413;
            return verdict;
          };
          const Response verdict = co_await RunOnWorker(gate, gate_request);
          if (verdict.status != 200) limit = std::min(limit, kAnonymousBodyBytes);
        }
        if (parser.content_length() && *parser.content_length() > limit) {
          metrics.RecordRejected("content-too-large");
          Response response = errors.ForStatus(request, 413);
          Log(request, "(unread)", 413, response.body.size(), started);
          co_await Write(*conn, std::move(response), parser.get().version(), false, false);
          // Read past the declared body, up to a bound, so that the client sees the 413
          // rather than a reset while it is still sending.
          co_await LingeringClose(
              *conn, std::min<std::size_t>(*parser.content_length() + 8192, kMaxDrainBytes));
          Finished(conn);
          co_return;
        }
        parser.body_limit(limit);
        // A large upload may take longer to arrive than an ordinary request.
        if (limit > options.max_body_bytes) {
          conn->SetDeadline(
              std::max<std::chrono::milliseconds>(options.read_timeout, std::chrono::minutes(2)));
        }
      }
      if (parser.get()[http::field::expect] == "100-continue" && !parser.is_done()) {
        http::response<http::empty_body> go_on{http::status::continue_, parser.get().version()};
        conn->SetDeadline(options.write_timeout);
        co_await http::async_write(conn->stream, go_on, asio::redirect_error(use_awaitable, ec));
        if (ec) break;
        conn->SetDeadline(options.read_timeout);
      }
      if (!parser.is_done()) {
        co_await http::async_read(conn->stream, buffer, parser,
                                  asio::redirect_error(use_awaitable, ec));
      }
      conn->ClearDeadline();
      auto& message = parser.get();
      request.method = std::string(message.method_string());
      if (ec) {
        const int status = StatusForReadError(*conn, ec);
        metrics.RecordRejected(StatusCode(status).data());
        Response response = errors.ForStatus(request, status);
        Log(request, "(unread)", status, response.body.size(), started);
        co_await Write(*conn, std::move(response), message.version(), false, false);
        co_await LingeringClose(*conn);
        Finished(conn);
        co_return;
      }
      const bool head = message.method() == http::verb::head;
      const bool keep_alive = message.keep_alive();
      const unsigned version = message.version();
      for (const auto& field : message) {
        std::string name(field.name_string());
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        request.headers.emplace_back(std::move(name), std::string(field.value()));
      }
      request.body = std::move(message.body());
      Response response;
      std::string route = "(unmatched)";
      if (request.path.empty() || request.path.front() != '/') {
        response = errors.ForStatus(request, 400);
      } else if (auto bad = CheckTarget(request)) {
        response = errors.ForBadRequest(request, *bad);  // text checked at the door
      } else {
        const RouteMatch match = router.Match(request);
        if (match.route != nullptr) route = match.route->pattern;
        response = co_await Dispatch(request, match, conn->stream.socket().native_handle());
      }
      const int status = response.status;
      if (status == kClientGone) {
        Log(request, route, status, 0, started);
        break;
      }
      const std::size_t bytes = response.body.size();
      co_await Write(*conn, std::move(response), version, keep_alive && !stopping, head);
      Log(request, route, status, bytes, started);
      if (!keep_alive || stopping) break;
    }
  } catch (const std::exception& e) {
    spdlog::error("Connection failed: {}", e.what());
  }
  Close(*conn);
  Finished(conn);
}

awaitable<void> Server::Impl::Refuse(std::shared_ptr<Connection> conn) {
  // Answered before any of the request is read, the same for every client: 503, then
  // a bounded lingering close so that the client reads the answer rather than a reset.
  Watch(conn);
  try {
    Request request;
    request.remote_address = conn->remote_address;
    Response busy = errors.ForStatus(request, 503);
    busy.SetHeader("Retry-After", "1");
    co_await Write(*conn, std::move(busy), 11, false, false);
    co_await LingeringClose(*conn, 64u << 10);
  } catch (const std::exception& e) {
    spdlog::error("Refusing a connection failed: {}", e.what());
    Close(*conn);
  }
}

awaitable<Response> Server::Impl::Dispatch(Request& request, const RouteMatch& match, int peer_fd) {
  if (match.route == nullptr) {
    if (match.method_not_allowed) {
      Response response = errors.ForStatus(request, 405);
      response.SetHeader("Allow", match.allow);
      co_return response;
    }
    co_return co_await RunOnWorker(not_found, request, peer_fd);
  }
  if (match.route->execution == Execution::kInline ||
      (match.route->inline_when && match.route->inline_when(request))) {
    co_return match.route->handler(request);
  }
  co_return co_await RunOnWorker(match.route->handler, request, peer_fd);
}

awaitable<Response> Server::Impl::RunOnWorker(const Handler& handler, Request& request,
                                              int peer_fd) {
  if (admitted.fetch_add(1) >= options.queue_capacity) {
    admitted.fetch_sub(1);
    metrics.RecordRejected("queue-full");
    Response busy = errors.ForStatus(request, 503);
    busy.SetHeader("Retry-After", "1");
    co_return busy;
  }
  auto run = [this, &handler, &request, peer_fd]() -> Response {
    Response response;
    if (PeerGone(peer_fd)) {
      // The client closed while its request waited for a worker: nobody would read the
      // answer, so the work is dropped and the worker goes on to the next request.
      admitted.fetch_sub(1);
      metrics.RecordRejected("client-gone");
      response.status = kClientGone;
      return response;
    }
    try {
      response = handler(request);
    } catch (const std::exception& e) {
      spdlog::error("request_id={} handler failed: {}", request.request_id, e.what());
      response = errors.ForStatus(request, 500);
    }
    admitted.fetch_sub(1);
    return response;
  };
  co_return co_await asio::async_initiate<decltype(use_awaitable), void(Response)>(
      [this, run](auto completion) mutable {
        auto io_executor = asio::get_associated_executor(completion);
        auto work = asio::make_work_guard(io_executor);
        asio::post(workers,
                   [run, completion = std::move(completion), work = std::move(work)]() mutable {
                     Response response = run();
                     auto executor = work.get_executor();
                     asio::dispatch(executor, [completion = std::move(completion),
                                               response = std::move(response)]() mutable {
                       std::move(completion)(std::move(response));
                     });
                   });
      },
      use_awaitable);
}

awaitable<void> Server::Impl::Write(Connection& conn, Response response, unsigned version,
                                    bool keep_alive, bool head) {
  // No header name or value may hold CR, LF or NUL, whatever a handler set: one that
  // does would let a client's text split the response. Such a response is replaced.
  for (const auto& [name, value] : response.headers) {
    if (!HeaderIsSafe(name) || !HeaderIsSafe(value)) {
      spdlog::error("A response header held a line break or NUL; answering 500 instead");
      metrics.RecordRejected("unsafe-header");
      Request request;
      response = errors.ForStatus(request, 500);
      keep_alive = false;
      break;
    }
  }
  ApplyStandardHeaders(response, options.hsts);
  http::response<http::string_body> message{static_cast<http::status>(response.status), version};
  for (auto& [name, value] : response.headers) message.insert(name, value);
  const std::size_t length = response.body.size();
  if (!head) message.body() = std::move(response.body);
  message.keep_alive(keep_alive);
  if (keep_alive) message.set(http::field::keep_alive, keep_alive_header);
  message.content_length(length);
  conn.SetDeadline(options.write_timeout);
  beast::error_code ec;
  http::response_serializer<http::string_body> serializer{message};
  if (head) {
    co_await http::async_write_header(conn.stream, serializer,
                                      asio::redirect_error(use_awaitable, ec));
  } else {
    co_await http::async_write(conn.stream, serializer, asio::redirect_error(use_awaitable, ec));
  }
}

awaitable<void> Server::Impl::LingeringClose(Connection& conn, std::size_t drain) {
  // Closing a socket with unread input resets the connection, and the client may then
  // lose the answer we just sent (its next write fails with EPIPE before it reads the
  // answer). So: stop sending, then read and discard for a short while, never more than
  // the larger of the body limit and `drain`, before closing.
  beast::error_code ec;
  conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  conn.SetDeadline(
      std::min<std::chrono::milliseconds>(options.read_timeout, std::chrono::seconds(2)));
  std::array<char, 8192> sink;
  std::size_t drained = 0;
  const std::size_t limit = std::max(options.max_body_bytes, drain);
  while (!ec && drained < limit) {
    drained += co_await conn.stream.async_read_some(asio::buffer(sink),
                                                    asio::redirect_error(use_awaitable, ec));
  }
  Close(conn);
}

void Server::Impl::Log(const Request& request, const std::string& route, int status,
                       std::size_t bytes, Clock::time_point started) {
  const auto elapsed = Clock::now() - started;
  metrics.Record(route, status, elapsed);
  if (!access_log) return;
  // Every field is safe to write into JSON as is: the id is hex, the method an HTTP
  // token (Beast refuses anything else), the route one of our own patterns.
  access_log->info(
      R"("request_id":"{}","method":"{}","route":"{}","status":{},"bytes":{},"duration_ms":{:.3f})",
      request.request_id, request.method, route, status, bytes,
      std::chrono::duration<double, std::milli>(elapsed).count());
}

}  // namespace pathway::web
