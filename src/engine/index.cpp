#include "engine/index.hpp"

#include <atomic>
#include <string>
#include <unordered_set>
#include <utility>

namespace pathway::engine {

namespace {
// Write generations are unique in the process, not per Index: a snapshot built by one
// Index (a background rebuild replaying writes onto a fresh one) may be published by
// another, and a column chunk stamped with a generation is written in place by the
// write of that generation only. Generation 1 is the builder's.
std::atomic<std::uint64_t> next_generation{2};
}  // namespace

Index::Index(std::shared_ptr<const Snapshot> initial) : current_(std::move(initial)) {}

std::shared_ptr<const Snapshot> Index::Current() const {
  std::lock_guard lock(read_mutex_);
  return current_;
}

void Index::Replace(std::shared_ptr<const Snapshot> snapshot) {
  std::lock_guard writer(write_mutex_);
  std::lock_guard lock(read_mutex_);
  current_ = std::move(snapshot);
}

template <typename Edit>
Status Index::Write(Edit&& edit) {
  std::lock_guard writer(write_mutex_);
  SnapshotEditor editor(*Current(), next_generation.fetch_add(1));
  PATHWAY_TRY(edit(editor));
  auto next = editor.Finish();
  std::lock_guard lock(read_mutex_);
  current_ = std::move(next);
  return domain::Ok{};
}

Status Index::UpsertReference(const ReferenceInput& changes) {
  return Write([&](SnapshotEditor& editor) { return editor.UpsertReference(changes); });
}

Status Index::UpsertPeople(std::span<const PersonInput> people) {
  return Write([&](SnapshotEditor& editor) -> Status {
    for (std::size_t i = 0; i < people.size(); ++i) {
      Status status = editor.UpsertPerson(people[i]);
      if (!status.ok()) {
        Error error = std::move(status).error();
        error.field = "people[" + std::to_string(i) + "]." + error.field;
        return error;
      }
    }
    return domain::Ok{};
  });
}

Status Index::RemovePeople(std::span<const std::int64_t> person_ids) {
  return Write([&](SnapshotEditor& editor) -> Status {
    for (std::int64_t id : person_ids) editor.RemovePerson(id);
    return domain::Ok{};
  });
}

Status Index::ApplyAssessments(std::span<const AssessmentInput> assessments) {
  return Write([&](SnapshotEditor& editor) -> Status {
    for (std::size_t i = 0; i < assessments.size(); ++i) {
      Status status = editor.ApplyAssessment(assessments[i]);
      if (!status.ok()) {
        Error error = std::move(status).error();
        error.field = "assessments[" + std::to_string(i) + "]." + error.field;
        return error;
      }
    }
    return domain::Ok{};
  });
}

Status Index::ReplacePeople(const PeopleReplacement& changes) {
  return Write([&](SnapshotEditor& editor) -> Status {
    for (std::int64_t id : changes.removed) editor.RemovePerson(id);
    std::unordered_set<std::int64_t> replaced;
    replaced.reserve(changes.people.size());
    for (std::size_t i = 0; i < changes.people.size(); ++i) {
      const PersonInput& person = changes.people[i];
      Status status = editor.UpsertPerson(person);
      if (!status.ok()) {
        Error error = std::move(status).error();
        error.field = "people[" + std::to_string(i) + "]." + error.field;
        return error;
      }
      editor.ClearAssessments(person.id);
      replaced.insert(person.id);
    }
    for (std::size_t i = 0; i < changes.ledger.size(); ++i) {
      const AssessmentInput& row = changes.ledger[i];
      Status status = replaced.contains(row.person_id)
                          ? editor.ApplyAssessment(row)
                          : Status(Error::InvalidInput("person", "Not one of the people replaced"));
      if (!status.ok()) {
        Error error = std::move(status).error();
        error.field = "ledger[" + std::to_string(i) + "]." + error.field;
        return error;
      }
    }
    return domain::Ok{};
  });
}

}  // namespace pathway::engine
