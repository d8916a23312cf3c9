// The audit trail's protection outside the database: the key that makes its hash chain
// a chain of MACs, and a checkpoint of its head. With both, `pathway audit verify`
// detects an edited row, a chain recomputed without the key, and a deleted tail.
//
// The key file (32 random bytes, hex) is created with owner-only permissions on first
// start; the head file holds the newest row's number and hash that this process saw
// committed, with a MAC under the key, rewritten (atomically) every second by the server
// and when any command ends. The checkpoint only ever moves forward along the same
// chain: a trail that no longer extends it is never checkpointed.
#pragma once

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "app/store_handles.hpp"
#include "domain/audit_records.hpp"
#include "domain/result.hpp"

namespace pathway::app {

struct AuditHead {
  std::int64_t seq = 0;         // 0: an empty trail
  std::string hash;             // of row `seq`; empty for an empty trail
  std::int64_t keyed_from = 1;  // rows from here on must be keyed
};

class AuditGuard {
 public:
  // Loads the key at `key_path` (creating it when missing, unless the trail already has
  // keyed rows: then the key was lost, which is kUnavailable) and hands it to the store;
  // reads the head at `head_path`, creating it for a trail with no keyed rows.
  static domain::Result<std::unique_ptr<AuditGuard>> Open(store::ConnectionPool& pool,
                                                          std::string key_path,
                                                          std::string head_path);
  ~AuditGuard();  // stops the thread and checkpoints once more
  AuditGuard(const AuditGuard&) = delete;
  AuditGuard& operator=(const AuditGuard&) = delete;

  // Moves the checkpoint to the newest committed row, if the trail extends it.
  domain::Status Checkpoint();
  // Checkpoints every `interval` on a thread of its own (the server).
  void StartPeriodic(std::chrono::milliseconds interval);
  // `chain` (store::VerifyAuditChain) checked against the checkpoint: a missing or
  // altered head file, rows deleted after it, another hash at its row, plain rows where
  // it says the chain is keyed.
  domain::Result<domain::AuditChainReport> Verify(domain::AuditChainReport chain);

  // The checkpoint file's text for `head` (with its MAC), and the head read back from
  // text; nullopt when the text is malformed or its MAC is wrong. For tests.
  std::string Encode(const AuditHead& head) const;
  std::optional<AuditHead> Decode(std::string_view text) const;

 private:
  AuditGuard(store::ConnectionPool& pool, std::string head_path)
      : pool_(pool), head_path_(std::move(head_path)) {}
  domain::Status Write(const AuditHead& head);
  std::optional<std::string> ReadFile() const;

  store::ConnectionPool& pool_;
  std::string head_path_;
  std::array<unsigned char, 32> key_{};
  std::mutex mutex_;  // one checkpoint at a time
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace pathway::app
