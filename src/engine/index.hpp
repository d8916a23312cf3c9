// The live workforce index: the current Snapshot, replaced atomically on every write.
// Readers take Current() and query that snapshot for as long as they like; a writer
// builds the next snapshot copy-on-write (only the column chunks and row sets it
// changes are copied) and publishes it, so a write is visible to the next Current().
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>

#include "domain/result.hpp"
#include "engine/snapshot.hpp"
#include "engine/workforce_input.hpp"

namespace pathway::engine {

class Index {
 public:
  // Starts from `initial` (for example from store::LoadWorkforceSnapshot).
  explicit Index(std::shared_ptr<const Snapshot> initial);

  // The latest published snapshot. Thread-safe; never null.
  std::shared_ptr<const Snapshot> Current() const;

  // Each write is all-or-nothing: on an error nothing is published. Writers are
  // serialised; readers never wait for them. Thread-safe.

  // Reference data: items, professions, departments, role levels, posts (by id).
  Status UpsertReference(const ReferenceInput& changes);
  Status UpsertPeople(std::span<const PersonInput> people);
  // It is not an error if a person is not indexed.
  Status RemovePeople(std::span<const std::int64_t> person_ids);
  // New ledger rows, in the order they were appended (increasing seq per person and
  // item). A self-assessment does not replace a confirmed level.
  Status ApplyAssessments(std::span<const AssessmentInput> assessments);
  // Replaces what the index holds about some people, in one write: removes
  // `changes.removed`, upserts `changes.people` with none of their levels kept, then
  // applies `changes.ledger`, which must hold the whole ledger of those people (and only
  // theirs; kInvalidInput "ledger[i].person" otherwise). The result is what a rebuild
  // from the store would hold for them. For bringing the index up to date with people
  // changed in the store (store::LoadWorkforcePeople).
  Status ReplacePeople(const PeopleReplacement& changes);
  // Replaces the whole snapshot (after a rebuild from the store).
  void Replace(std::shared_ptr<const Snapshot> snapshot);

 private:
  template <typename Edit>
  Status Write(Edit&& edit);

  mutable std::mutex read_mutex_;  // guards current_ (a pointer copy only)
  std::shared_ptr<const Snapshot> current_;
  std::mutex write_mutex_;  // serialises writers
};

}  // namespace pathway::engine
