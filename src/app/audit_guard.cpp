#include "app/audit_guard.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "store/audit.hpp"
#include "store/database.hpp"

namespace pathway::app {

using domain::Error;

namespace {

constexpr std::string_view kMagic = "pathway-audit-head v1";

std::optional<std::string> Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes `text` to `path` through a temporary file and a rename, owner-only, synced.
domain::Status WriteAtomically(const std::string& path, const std::string& text, bool exclusive) {
  // The server and a command may checkpoint at once: each writes its own temporary file.
  const std::string temp = exclusive ? path : fmt::format("{}.tmp.{}", path, ::getpid());
  const int fd =
      ::open(temp.c_str(), O_WRONLY | O_CREAT | (exclusive ? O_EXCL : O_TRUNC) | O_CLOEXEC, 0600);
  if (fd < 0) return Error::Unavailable(fmt::format("Could not write {}", temp));
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return Error::Unavailable(fmt::format("Could not write {}", temp));
  if (!exclusive && std::rename(temp.c_str(), path.c_str()) != 0) {
    return Error::Unavailable(fmt::format("Could not replace {}", path));
  }
  return domain::Ok{};
}

}  // namespace

domain::Result<std::unique_ptr<AuditGuard>> AuditGuard::Open(store::ConnectionPool& pool,
                                                             std::string key_path,
                                                             std::string head_path) {
  if (sodium_init() < 0) return Error::Internal("libsodium failed to initialise");
  auto guard = std::unique_ptr<AuditGuard>(new AuditGuard(pool, std::move(head_path)));
  std::optional<std::int64_t> first_keyed;
  std::optional<std::pair<std::int64_t, std::string>> tail;
  {
    auto db = pool.Acquire();
    PATHWAY_ASSIGN_OR_RETURN(first_keyed, store::FirstKeyedAuditRow(*db));
    PATHWAY_ASSIGN_OR_RETURN(tail, store::AuditTail(*db));
  }
  if (auto text = Slurp(key_path)) {
    std::string hex(*text);
    while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) hex.pop_back();
    std::size_t length = 0;
    if (hex.size() != 64 ||
        sodium_hex2bin(guard->key_.data(), guard->key_.size(), hex.data(), hex.size(), nullptr,
                       &length, nullptr) != 0 ||
        length != guard->key_.size()) {
      return Error::Unavailable(
          fmt::format("The audit key {} is not 64 hexadecimal digits", key_path));
    }
    struct stat info {};
    if (::stat(key_path.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
      spdlog::warn("The audit key {} can be read by others: chmod 600 it", key_path);
    }
  } else {
    if (first_keyed) {
      return Error::Unavailable(fmt::format(
          "The audit key {} is missing, yet the audit trail is keyed from row {}: restore the key "
          "file (or give --audit-key)",
          key_path, *first_keyed));
    }
    randombytes_buf(guard->key_.data(), guard->key_.size());
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, guard->key_.data(), guard->key_.size());
    PATHWAY_TRY(WriteAtomically(key_path, std::string(hex) + "\n", true));
    spdlog::info("Created the audit key {} (keep it, and keep it secret)", key_path);
  }
  store::SetAuditKey(guard->key_);
  if (!std::filesystem::exists(guard->head_path_) && !first_keyed) {
    // A trail with no keyed rows: everything from the next row on is keyed.
    AuditHead head;
    if (tail) {
      head.seq = tail->first;
      head.hash = tail->second;
      head.keyed_from = tail->first + 1;
    }
    PATHWAY_TRY(guard->Write(head));
  }
  return guard;
}

AuditGuard::~AuditGuard() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (auto done = Checkpoint(); !done.ok())
    spdlog::error("Audit checkpoint: {}", done.error().message);
  store::ClearAuditKey();
  sodium_memzero(key_.data(), key_.size());
}

std::string AuditGuard::Encode(const AuditHead& head) const {
  const std::string body = fmt::format("{} seq={} hash={} keyed_from={}", kMagic, head.seq,
                                       head.hash.empty() ? "-" : head.hash, head.keyed_from);
  // Domain-separated from the chain's row hashes.
  const std::string input = "checkpoint\n" + body;
  unsigned char mac[32];
  crypto_generichash(mac, sizeof mac, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size(), key_.data(), key_.size());
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return body + " mac=" + hex + "\n";
}

std::optional<AuditHead> AuditGuard::Decode(std::string_view text) const {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  const auto at = text.rfind(" mac=");
  if (at == std::string_view::npos) return std::nullopt;
  const std::string body(text.substr(0, at));
  if (!body.starts_with(kMagic)) return std::nullopt;
  AuditHead head;
  char hash[200] = {0};
  long long seq = 0;
  long long keyed_from = 0;
  if (std::sscanf(body.c_str() + kMagic.size(), " seq=%lld hash=%199s keyed_from=%lld", &seq, hash,
                  &keyed_from) != 3) {
    return std::nullopt;
  }
  head.seq = seq;
  head.hash = std::string(hash) == "-" ? std::string() : std::string(hash);
  head.keyed_from = keyed_from;
  const std::string expected = Encode(head);
  // Constant-time comparison of the whole line (the MAC is its tail).
  const std::string given = std::string(text) + "\n";
  if (expected.size() != given.size() ||
      sodium_memcmp(expected.data(), given.data(), expected.size()) != 0) {
    return std::nullopt;
  }
  return head;
}

std::optional<std::string> AuditGuard::ReadFile() const { return Slurp(head_path_); }

domain::Status AuditGuard::Write(const AuditHead& head) {
  return WriteAtomically(head_path_, Encode(head), false);
}

domain::Status AuditGuard::Checkpoint() {
  std::lock_guard lock(mutex_);
  auto text = ReadFile();
  if (!text) return Error::Unavailable(fmt::format("The audit head {} is missing", head_path_));
  auto head = Decode(*text);
  if (!head) return Error::Unavailable(fmt::format("The audit head {} was altered", head_path_));
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto tail, store::AuditTail(*db));
  if (!tail || (tail->first == head->seq && tail->second == head->hash)) return domain::Ok{};
  if (head->seq > 0) {
    PATHWAY_ASSIGN_OR_RETURN(auto at, store::AuditHashAt(*db, head->seq));
    if (!at || *at != head->hash) {
      return Error::Unavailable(fmt::format(
          "The audit trail no longer extends its checkpoint at row {}: not checkpointed",
          head->seq));
    }
  }
  if (tail->first < head->seq) {
    return Error::Unavailable("The audit trail is shorter than its checkpoint: not checkpointed");
  }
  AuditHead next = *head;
  next.seq = tail->first;
  next.hash = tail->second;
  return Write(next);
}

void AuditGuard::StartPeriodic(std::chrono::milliseconds interval) {
  thread_ = std::thread([this, interval] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, interval, [this] { return stopping_; });
      if (stopping_) break;
      lock.unlock();
      if (auto done = Checkpoint(); !done.ok())
        spdlog::error("Audit checkpoint: {}", done.error().message);
      lock.lock();
    }
  });
}

domain::Result<domain::AuditChainReport> AuditGuard::Verify(domain::AuditChainReport chain) {
  if (chain.first_broken_seq) return chain;
  const auto broken = [&](std::int64_t seq, std::string problem) {
    chain.first_broken_seq = seq;
    chain.problem = std::move(problem);
    return chain;
  };
  auto text = ReadFile();
  if (!text) {
    if (chain.rows == 0) return chain;
    return broken(1, fmt::format("the audit head checkpoint {} is missing", head_path_));
  }
  auto head = Decode(*text);
  if (!head) return broken(1, fmt::format("the audit head checkpoint {} was altered", head_path_));
  if (head->seq > chain.last_seq) {
    return broken(chain.last_seq + 1,
                  fmt::format("rows {} to {} are missing: the newest rows were deleted",
                              chain.last_seq + 1, head->seq));
  }
  if (head->keyed_from <= chain.last_seq &&
      (!chain.keyed_from || *chain.keyed_from > head->keyed_from)) {
    return broken(
        head->keyed_from,
        fmt::format("rows from {} should be keyed: the chain was recomputed without the key",
                    head->keyed_from));
  }
  if (head->seq > 0) {
    auto db = pool_.Acquire();
    PATHWAY_ASSIGN_OR_RETURN(auto at, store::AuditHashAt(*db, head->seq));
    if (!at || *at != head->hash) {
      return broken(head->seq,
                    fmt::format("row {} is not the row the checkpoint recorded", head->seq));
    }
  }
  return chain;
}

}  // namespace pathway::app
