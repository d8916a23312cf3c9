// Bulk import of the workforce from HR-system CSV exports
// (docs/formats/workforce-csv.md): the organisation, professions with their roles,
// posts, and people. All or nothing: a file with any problem is refused with every
// problem listed by line and column and nothing is written; a good file is upserted by
// code or external id in one transaction with one audit event.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "app/clock.hpp"
#include "app/policy.hpp"
#include "app/store_handles.hpp"
#include "app/unit_of_work.hpp"
#include "domain/result.hpp"
#include "interchange/import_problem.hpp"
#include "interchange/workforce_csv.hpp"

namespace pathway::app {

using domain::Result;
using domain::Status;

// What one kind of record did: "people", 3 inserted, 1 updated, 5 unchanged. Only
// people are told apart as unchanged (already stored as the file has them); the other
// kinds count every stored record as updated.
struct ImportedCount {
  std::string what;
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
};

struct WorkforceImportReport {
  interchange::WorkforceFileKind kind = interchange::WorkforceFileKind::kOrg;
  std::int64_t rows = 0;              // records read from the file
  std::vector<ImportedCount> counts;  // in the order of the format's description
  // Every problem, in file order, when the file was refused; then nothing was written
  // and `counts` is empty.
  std::vector<interchange::ImportProblem> problems;

  bool ok() const { return problems.empty(); }
};

struct WorkforceImportOptions {
  // Problems reported before one saying that there are more.
  std::size_t max_problems = interchange::kMaxImportProblems;
  // Called as the import goes: "Reading" (done and total in bytes), "Checking" (0 of 1,
  // then 1 of 1) and "Writing" (records). May be empty. Called on the importing thread.
  std::function<void(std::string_view stage, std::int64_t done, std::int64_t total)> progress;
};

class WorkforceImportService {
 public:
  // Imports go through `kernel`.
  explicit WorkforceImportService(UnitOfWork& kernel) : kernel_(kernel) {}

  // Imports one file of `kind`; `text` is the whole file and `source` names it for the
  // audit trail. Needs the `workforce.import` action (kForbidden otherwise, audited as
  // refused): for everything (`any`), or for the departments the actor's grants name
  // (`department`, an HR partner), when every row about a department must be about one
  // of theirs, as stored and as the file has it; locations and the roles file, shared by
  // every department, are then refused. A file with problems is not an error: the report lists
  // them, in file order, and nothing is written (the refusal is audited). Besides the problems the
  // readers in interchange/ find, refuses codes that name nothing in the file or the
  // database (departments, units, locations, professions, role levels, posts, line
  // managers, career frameworks and their items), a unit inside itself, a
  // line-management loop, a post held by someone the file does not move, and a role
  // position already taken. Importing the same file twice inserts nothing the second
  // time. Errors are database failures. Thread-safe.
  Result<WorkforceImportReport> Import(const Actor& actor, interchange::WorkforceFileKind kind,
                                       std::string_view text, std::string_view source,
                                       const WorkforceImportOptions& options = {});

 private:
  // Whom an import may touch: everything (departments unset), or only the rows of the
  // departments an HR partner's grants name; `subject` is what the kernel authorises.
  struct ImportScope {
    Subject subject;
    std::optional<std::unordered_set<std::string>> departments;
  };
  Result<ImportScope> ScopeOf(const Actor& actor) const;

  UnitOfWork& kernel_;
};

}  // namespace pathway::app
