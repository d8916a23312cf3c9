#include "store/workforce_write.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include "domain/text_index.hpp"

namespace pathway::store {
namespace {

using CodeMap = std::unordered_map<std::string, std::int64_t>;

// Every `code -> id` pair of a table, loaded once per call so that resolving a code
// costs a hash lookup instead of a query.
Result<CodeMap> LoadCodes(Database& db, std::string_view sql) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
  CodeMap codes;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    codes.emplace(stmt.ColumnText(1), stmt.ColumnInt(0));
  }
  return codes;
}

std::string Field(std::size_t index, std::string_view column) {
  return fmt::format("rows[{}].{}", index, column);
}

Error UnknownCode(std::size_t index, std::string_view column, std::string_view what,
                  std::string_view code) {
  return Error::InvalidInput(Field(index, column),
                             fmt::format("There is no {} with the code {}", what, code));
}

// Adds the row's context to a database error, so that a constraint the caller did not
// check first still says which record broke it.
Error AtRow(Error error, std::size_t index) {
  if (error.field.empty()) error.field = fmt::format("rows[{}]", index);
  return error;
}

// A lookup that reports the missing code as the row's error.
Result<std::int64_t> Resolve(const CodeMap& codes, std::size_t index, std::string_view column,
                             std::string_view what, const std::string& code) {
  const auto found = codes.find(code);
  if (found == codes.end()) return UnknownCode(index, column, what, code);
  return found->second;
}

void Report(const WriteProgress& progress, std::int64_t written, bool last) {
  if (!progress.report) return;
  if (last || (progress.every > 0 && written % progress.every == 0)) progress.report(written);
}

// The bookkeeping every upsert shares: if `code` is stored, run `update` for its id;
// otherwise run `insert` and remember the new id under `code`.
template <typename UpdateFn, typename InsertFn>
Status Upsert(Database& db, CodeMap& codes, const std::string& code, UpsertCounts& counts,
              UpdateFn update, InsertFn insert) {
  if (const auto found = codes.find(code); found != codes.end()) {
    PATHWAY_TRY(update(found->second));
    ++counts.updated;
  } else {
    PATHWAY_TRY(insert());
    codes.emplace(code, db.LastInsertRowId());
    ++counts.inserted;
  }
  return domain::Ok{};
}

// Binds `text` as NULL when empty: optional references and dates are NULL, not ''.
void BindOptional(Statement& stmt, int index, const std::string& text) {
  if (text.empty()) {
    stmt.BindNull(index);
  } else {
    stmt.Bind(index, text);
  }
}

// Gives the connection a larger page cache while a bulk write runs, and restores it
// after. With SQLite's default of 2 MB, the indexes of half a million people do not fit
// and every insert reads pages back from the file. The cache grows with the rows (about
// 1 KB a row covers a person's row and its dozen index entries, so the indexes of every
// row written stay in memory: once they do not, each insert into a randomly ordered
// index such as the names spills and re-reads pages, and the write slows down with its
// size). A larger cache the caller set is never made smaller.
class BulkCache {
 public:
  BulkCache(Database& db, std::size_t rows) : db_(db) {
    if (rows < 10'000) return;
    auto current = db.Prepare("PRAGMA cache_size");
    if (!current.ok() || !current->Step().ok()) return;
    const std::int64_t saved = current->ColumnInt(0);
    auto page_size = db.Prepare("PRAGMA page_size");
    if (!page_size.ok() || !page_size->Step().ok()) return;
    // cache_size is in pages when positive, in KiB when negative.
    const std::int64_t current_kib = saved < 0 ? -saved : saved * page_size->ColumnInt(0) / 1024;
    const std::int64_t wanted_kib =
        std::clamp<std::int64_t>(static_cast<std::int64_t>(rows), 256 * 1024, 2 * 1024 * 1024);
    if (current_kib >= wanted_kib) return;
    saved_ = saved;
    // Allocated as needed, so a small write does not take it all.
    (void)db.Execute(fmt::format("PRAGMA cache_size = -{}", wanted_kib));
  }
  ~BulkCache() {
    if (saved_) (void)db_.Execute(fmt::format("PRAGMA cache_size = {}", *saved_));
  }
  BulkCache(const BulkCache&) = delete;
  BulkCache& operator=(const BulkCache&) = delete;

 private:
  Database& db_;
  std::optional<std::int64_t> saved_;
};

// Why large upserts used to slow down with their size: every inserted person updates a
// dozen indexes, most of them (names, grades, dates, locations...) in an order
// unrelated to the rows', so each row touches a dozen random leaf pages; as the indexes
// grow past the CPU's caches (and, before BulkCache grew with the rows, past the page
// cache) each row costs more. When a write adds at least as many rows as the table
// holds (posts), or inserts or changes at least a quarter of it (people), the table's
// non-unique indexes are dropped for the write and built again once at the end, by
// sorting, which costs less than keeping them up to date. Unique indexes
// stay, since they check each row as it goes in. All of it happens in the caller's
// transaction, so a rollback restores the indexes with everything else.
class DeferredIndexes {
 public:
  // Drops `table`'s non-unique indexes if `defer`; the caller decides whether the write
  // is large enough for that to pay.
  static Result<DeferredIndexes> Begin(Database& db, std::string_view table, bool defer) {
    DeferredIndexes deferred(db);
    if (!defer) return deferred;
    PATHWAY_ASSIGN_OR_RETURN(
        auto stmt, db.Prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND "
                              "tbl_name = ? AND sql IS NOT NULL ORDER BY name"));
    stmt.Bind(1, table);
    std::vector<std::pair<std::string, std::string>> indexes;
    for (;;) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      std::string sql = stmt.ColumnText(1);
      if (sql.rfind("CREATE INDEX", 0) != 0) continue;  // UNIQUE ones stay
      indexes.emplace_back(stmt.ColumnText(0), std::move(sql));
    }
    for (auto& [name, sql] : indexes) {
      PATHWAY_TRY(db.Execute(fmt::format("DROP INDEX \"{}\"", name)));
      deferred.sql_.push_back(std::move(sql));
    }
    return deferred;
  }
  DeferredIndexes(DeferredIndexes&& other) noexcept
      : db_(other.db_), sql_(std::exchange(other.sql_, {})) {}
  DeferredIndexes& operator=(DeferredIndexes&&) = delete;
  DeferredIndexes(const DeferredIndexes&) = delete;
  DeferredIndexes& operator=(const DeferredIndexes&) = delete;
  // On an early return the indexes come back too, so that the transaction stays whole
  // if the caller commits what was written before the error.
  ~DeferredIndexes() { (void)Rebuild(); }

  Status Rebuild() {
    std::vector<std::string> sql = std::exchange(sql_, {});
    for (const auto& create : sql) PATHWAY_TRY(db_->Execute(create));
    return domain::Ok{};
  }

 private:
  explicit DeferredIndexes(Database& db) : db_(&db) {}
  Database* db_;
  std::vector<std::string> sql_;  // CREATE INDEX statements to run again
};

}  // namespace

Result<UpsertCounts> UpsertDepartments(Database& db, std::span<const domain::Department> rows) {
  PATHWAY_ASSIGN_OR_RETURN(auto codes, LoadCodes(db, "SELECT id, code FROM department"));
  PATHWAY_ASSIGN_OR_RETURN(auto insert,
                           db.Prepare("INSERT INTO department (code, name) VALUES (?, ?)"));
  PATHWAY_ASSIGN_OR_RETURN(auto update, db.Prepare("UPDATE department SET name = ? WHERE id = ?"));
  UpsertCounts counts;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    auto status = Upsert(
        db, codes, row.code, counts,
        [&](std::int64_t id) {
          update.Reset();
          update.Bind(1, row.name).Bind(2, id);
          return update.Run();
        },
        [&] {
          insert.Reset();
          insert.Bind(1, row.code).Bind(2, row.name);
          return insert.Run();
        });
    if (!status.ok()) return AtRow(std::move(status).error(), i);
  }
  return counts;
}

Result<UpsertCounts> UpsertUnits(Database& db, std::span<const domain::Unit> rows) {
  PATHWAY_ASSIGN_OR_RETURN(auto departments, LoadCodes(db, "SELECT id, code FROM department"));
  PATHWAY_ASSIGN_OR_RETURN(auto codes, LoadCodes(db, "SELECT id, code FROM unit"));
  PATHWAY_ASSIGN_OR_RETURN(
      auto insert, db.Prepare("INSERT INTO unit (code, name, department_id) VALUES (?, ?, ?)"));
  PATHWAY_ASSIGN_OR_RETURN(auto update,
                           db.Prepare("UPDATE unit SET name = ?, department_id = ? WHERE id = ?"));
  PATHWAY_ASSIGN_OR_RETURN(auto parent, db.Prepare("UPDATE unit SET parent_id = ? WHERE id = ?"));
  UpsertCounts counts;
  // First every unit, then the parents, which may be later in `rows`.
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    PATHWAY_ASSIGN_OR_RETURN(auto department_id,
                             Resolve(departments, i, "department", "department", row.department));
    auto status = Upsert(
        db, codes, row.code, counts,
        [&](std::int64_t id) {
          update.Reset();
          update.Bind(1, row.name).Bind(2, department_id).Bind(3, id);
          return update.Run();
        },
        [&] {
          insert.Reset();
          insert.Bind(1, row.code).Bind(2, row.name).Bind(3, department_id);
          return insert.Run();
        });
    if (!status.ok()) return AtRow(std::move(status).error(), i);
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    parent.Reset();
    if (row.parent_unit.empty()) {
      parent.BindNull(1);
    } else {
      PATHWAY_ASSIGN_OR_RETURN(auto parent_id,
                               Resolve(codes, i, "parent_unit", "unit", row.parent_unit));
      parent.Bind(1, parent_id);
    }
    parent.Bind(2, codes.at(row.code));
    PATHWAY_TRY(parent.Run());
  }
  // A unit may not contain itself: walk each new chain of parents over the stored ones.
  std::unordered_map<std::int64_t, std::int64_t> parents;
  {
    PATHWAY_ASSIGN_OR_RETURN(
        auto stmt, db.Prepare("SELECT id, parent_id FROM unit WHERE parent_id IS NOT NULL"));
    for (;;) {
      PATHWAY_ASSIGN_OR_RETURN(bool has, stmt.Step());
      if (!has) break;
      parents.emplace(stmt.ColumnInt(0), stmt.ColumnInt(1));
    }
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::int64_t start = codes.at(rows[i].code);
    std::int64_t at = start;
    for (std::size_t steps = 0; steps <= parents.size(); ++steps) {
      const auto up = parents.find(at);
      if (up == parents.end()) break;
      at = up->second;
      if (at == start) {
        return Error::InvalidInput(Field(i, "parent_unit"),
                                   fmt::format("Unit {} would be inside itself", rows[i].code));
      }
    }
  }
  return counts;
}

Result<UpsertCounts> UpsertLocations(Database& db, std::span<const domain::Location> rows) {
  PATHWAY_ASSIGN_OR_RETURN(auto codes, LoadCodes(db, "SELECT id, code FROM location"));
  PATHWAY_ASSIGN_OR_RETURN(
      auto insert, db.Prepare("INSERT INTO location (code, name, region) VALUES (?, ?, ?)"));
  PATHWAY_ASSIGN_OR_RETURN(auto update,
                           db.Prepare("UPDATE location SET name = ?, region = ? WHERE id = ?"));
  UpsertCounts counts;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    const domain::RegionInfo* region = domain::FindRegion(row.region);
    if (region == nullptr) {
      return Error::InvalidInput(Field(i, "region"),
                                 fmt::format("There is no region called {}", row.region));
    }
    auto status = Upsert(
        db, codes, row.code, counts,
        [&](std::int64_t id) {
          update.Reset();
          update.Bind(1, row.name).Bind(2, region->code).Bind(3, id);
          return update.Run();
        },
        [&] {
          insert.Reset();
          insert.Bind(1, row.code).Bind(2, row.name).Bind(3, region->code);
          return insert.Run();
        });
    if (!status.ok()) return AtRow(std::move(status).error(), i);
  }
  return counts;
}

Result<UpsertCounts> UpsertProfessions(Database& db, std::span<const domain::Profession> rows) {
  PATHWAY_ASSIGN_OR_RETURN(auto codes, LoadCodes(db, "SELECT id, code FROM profession"));
  PATHWAY_ASSIGN_OR_RETURN(auto frameworks, LoadCodes(db, "SELECT rowid, id FROM framework"));
  PATHWAY_ASSIGN_OR_RETURN(auto insert,
                           db.Prepare("INSERT INTO profession (code, name, description, induction, "
                                      "career_framework_id) VALUES (?, ?, ?, ?, ?)"));
  PATHWAY_ASSIGN_OR_RETURN(auto update,
                           db.Prepare("UPDATE profession SET name = ?, description = ?, "
                                      "induction = ?, career_framework_id = ? WHERE id = ?"));
  UpsertCounts counts;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    if (!row.career_framework_id.empty() && !frameworks.contains(row.career_framework_id)) {
      return Error::InvalidInput(
          Field(i, "career_framework_id"),
          fmt::format("There is no framework with the id {}", row.career_framework_id));
    }
    auto status = Upsert(
        db, codes, row.code, counts,
        [&](std::int64_t id) {
          update.Reset();
          update.Bind(1, row.name).Bind(2, row.description).Bind(3, row.induction);
          BindOptional(update, 4, row.career_framework_id);
          update.Bind(5, id);
          return update.Run();
        },
        [&] {
          insert.Reset();
          insert.Bind(1, row.code)
              .Bind(2, row.name)
              .Bind(3, row.description)
              .Bind(4, row.induction);
          BindOptional(insert, 5, row.career_framework_id);
          return insert.Run();
        });
    if (!status.ok()) return AtRow(std::move(status).error(), i);
  }
  return counts;
}

Result<UpsertCounts> UpsertJobFamilies(Database& db, std::span<const domain::JobFamily> rows) {
  PATHWAY_ASSIGN_OR_RETURN(auto professions, LoadCodes(db, "SELECT id, code FROM profession"));
  PATHWAY_ASSIGN_OR_RETURN(auto codes, LoadCodes(db, "SELECT id, code FROM job_family"));
  PATHWAY_ASSIGN_OR_RETURN(
      auto insert,
      db.Prepare("INSERT INTO job_family (code, name, profession_id) VALUES (?, ?, ?)"));
  PATHWAY_ASSIGN_OR_RETURN(
      auto update, db.Prepare("UPDATE job_family SET name = ?, profession_id = ? WHERE id = ?"));
  UpsertCounts counts;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    PATHWAY_ASSIGN_OR_RETURN(auto profession_id,
                             Resolve(professions, i, "profession", "profession", row.profession));
    auto status = Upsert(
        db, codes, row.code, counts,
        [&](std::int64_t id) {
          update.Reset();
          update.Bind(1, row.name).Bind(2, profession_id).Bind(3, id);
          return update.Run();
        },
        [&] {
          insert.Reset();
          insert.Bind(1, row.code).Bind(2, row.name).Bind(3, profession_id);
          return insert.Run();
        });
    if (!status.ok()) return AtRow(std::move(status).error(), i);
  }
  return counts;
}

Result<UpsertCounts> UpsertCareerRoles(Database& db, std::span<const domain::CareerRole> rows) {
  PATHWAY_ASSIGN_OR_RETURN(auto families, LoadCodes(db, "SELECT id, code FROM job_family"));
  PATHWAY_ASSIGN_OR_RETURN(auto codes, LoadCodes(db, "SELECT id, code FROM career_role"));
  PATHWAY_ASSIGN_OR_RETURN(auto insert,
                           db.Prepare("INSERT INTO career_role (code, name, description, "
                                      "job_family_id) VALUES (?, ?, ?, ?)"));
  PATHWAY_ASSIGN_OR_RETURN(auto update,
                           db.Prepare("UPDATE career_role SET name = ?, description = ?, "
                                      "job_family_id = ? WHERE id = ?"));
  UpsertCounts counts;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    PATHWAY_ASSIGN_OR_RETURN(auto family_id,
                             Resolve(families, i, "job_family", "job family", row.job_family));
    auto status = Upsert(
        db, codes, row.code, counts,
        [&](std::int64_t id) {
          update.Reset();
          update.Bind(1, row.name).Bind(2, row.description).Bind(3, family_id).Bind(4, id);
          return update.Run();
        },
        [&] {
          insert.Reset();
          insert.Bind(1, row.code).Bind(2, row.name).Bind(3, row.description).Bind(4, family_id);
          return insert.Run();
        });
    if (!status.ok()) return AtRow(std::move(status).error(), i);
  }
  return counts;
}

Result<UpsertCounts> UpsertRoleLevels(Database& db, std::span<const domain::RoleLevel> rows) {
  PATHWAY_ASSIGN_OR_RETURN(auto roles, LoadCodes(db, "SELECT id, code FROM career_role"));
  PATHWAY_ASSIGN_OR_RETURN(auto codes, LoadCodes(db, "SELECT id, code FROM role_level"));
  PATHWAY_ASSIGN_OR_RETURN(auto item_refs, LoadCodes(db, "SELECT id, item_id FROM item_ref"));
  PATHWAY_ASSIGN_OR_RETURN(auto insert,
                           db.Prepare("INSERT INTO role_level (code, title, role_id, position, "
                                      "grade_min, grade_max) VALUES (?, ?, ?, ?, ?, ?)"));
  PATHWAY_ASSIGN_OR_RETURN(auto update,
                           db.Prepare("UPDATE role_level SET title = ?, role_id = ?, position = ?, "
                                      "grade_min = ?, grade_max = ? WHERE id = ?"));
  PATHWAY_ASSIGN_OR_RETURN(auto clear_requirements,
                           db.Prepare("DELETE FROM role_requirement WHERE role_level_id = ?"));
  PATHWAY_ASSIGN_OR_RETURN(auto clear_statements,
                           db.Prepare("DELETE FROM role_statement WHERE role_level_id = ?"));
  PATHWAY_ASSIGN_OR_RETURN(auto add_requirement,
                           db.Prepare("INSERT INTO role_requirement (role_level_id, item_ref_id, "
                                      "level, weight) VALUES (?, ?, ?, ?)"));
  PATHWAY_ASSIGN_OR_RETURN(auto add_statement,
                           db.Prepare("INSERT INTO role_statement (role_level_id, kind, position, "
                                      "text) VALUES (?, ?, ?, ?)"));
  PATHWAY_ASSIGN_OR_RETURN(auto find_item,
                           db.Prepare("SELECT framework_id FROM fw_item WHERE id = ? LIMIT 1"));
  PATHWAY_ASSIGN_OR_RETURN(
      auto add_item_ref, db.Prepare("INSERT INTO item_ref (framework_id, item_id) VALUES (?, ?)"));

  // The item_ref id of a framework item, adding one the first time the item is named.
  auto item_ref = [&](std::size_t i, std::size_t r,
                      const std::string& item_id) -> Result<std::int64_t> {
    if (const auto found = item_refs.find(item_id); found != item_refs.end()) return found->second;
    find_item.Reset();
    find_item.Bind(1, item_id);
    PATHWAY_ASSIGN_OR_RETURN(bool exists, find_item.Step());
    if (!exists) {
      return Error::InvalidInput(fmt::format("rows[{}].requirements[{}].item_id", i, r),
                                 fmt::format("There is no framework item with the id {}", item_id));
    }
    const std::string framework_id = find_item.ColumnText(0);
    add_item_ref.Reset();
    add_item_ref.Bind(1, framework_id).Bind(2, item_id);
    PATHWAY_TRY(add_item_ref.Run());
    const std::int64_t id = db.LastInsertRowId();
    item_refs.emplace(item_id, id);
    return id;
  };

  UpsertCounts counts;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    PATHWAY_ASSIGN_OR_RETURN(auto role_id, Resolve(roles, i, "role", "role", row.role));
    const bool existed = codes.contains(row.code);
    auto status = Upsert(
        db, codes, row.code, counts,
        [&](std::int64_t id) {
          update.Reset();
          update.Bind(1, row.title)
              .Bind(2, role_id)
              .Bind(3, row.position)
              .Bind(4, static_cast<int>(row.grade_min))
              .Bind(5, static_cast<int>(row.grade_max))
              .Bind(6, id);
          return update.Run();
        },
        [&] {
          insert.Reset();
          insert.Bind(1, row.code)
              .Bind(2, row.title)
              .Bind(3, role_id)
              .Bind(4, row.position)
              .Bind(5, static_cast<int>(row.grade_min))
              .Bind(6, static_cast<int>(row.grade_max));
          return insert.Run();
        });
    if (!status.ok()) return AtRow(std::move(status).error(), i);
    const std::int64_t level_id = codes.at(row.code);
    if (existed) {
      clear_requirements.Reset();
      clear_requirements.Bind(1, level_id);
      PATHWAY_TRY(clear_requirements.Run());
      clear_statements.Reset();
      clear_statements.Bind(1, level_id);
      PATHWAY_TRY(clear_statements.Run());
    }
    for (std::size_t r = 0; r < row.requirements.size(); ++r) {
      const auto& requirement = row.requirements[r];
      PATHWAY_ASSIGN_OR_RETURN(auto ref_id, item_ref(i, r, requirement.item_id));
      add_requirement.Reset();
      add_requirement.Bind(1, level_id)
          .Bind(2, ref_id)
          .Bind(3, requirement.level)
          .Bind(4, requirement.weight);
      auto added = add_requirement.Run();
      if (!added.ok()) {
        auto error = std::move(added).error();
        error.field = fmt::format("rows[{}].requirements[{}]", i, r);
        return error;
      }
    }
    auto add_statements = [&](std::string_view kind,
                              const std::vector<std::string>& texts) -> Status {
      for (std::size_t s = 0; s < texts.size(); ++s) {
        add_statement.Reset();
        add_statement.Bind(1, level_id)
            .Bind(2, kind)
            .Bind(3, static_cast<std::int64_t>(s + 1))
            .Bind(4, texts[s]);
        PATHWAY_TRY(add_statement.Run());
      }
      return domain::Ok{};
    };
    PATHWAY_TRY(add_statements("experience", row.experience));
    PATHWAY_TRY(add_statements("qualification", row.qualifications));
  }
  return counts;
}

Result<UpsertCounts> UpsertPosts(Database& db, std::span<const domain::Post> rows,
                                 const WriteProgress& progress) {
  BulkCache cache(db, rows.size());
  PATHWAY_ASSIGN_OR_RETURN(auto levels, LoadCodes(db, "SELECT id, code FROM role_level"));
  PATHWAY_ASSIGN_OR_RETURN(auto units, LoadCodes(db, "SELECT id, code FROM unit"));
  PATHWAY_ASSIGN_OR_RETURN(auto locations, LoadCodes(db, "SELECT id, code FROM location"));
  PATHWAY_ASSIGN_OR_RETURN(auto codes, LoadCodes(db, "SELECT id, external_id FROM post"));
  PATHWAY_ASSIGN_OR_RETURN(auto insert,
                           db.Prepare("INSERT INTO post (external_id, role_level_id, unit_id, "
                                      "location_id, grade, clearance, critical) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  PATHWAY_ASSIGN_OR_RETURN(auto update,
                           db.Prepare("UPDATE post SET role_level_id = ?, unit_id = ?, "
                                      "location_id = ?, grade = ?, clearance = ?, critical = ? "
                                      "WHERE id = ?"));
  std::size_t new_posts = 0;
  for (const auto& row : rows) new_posts += codes.contains(row.external_id) ? 0 : 1;
  PATHWAY_ASSIGN_OR_RETURN(
      auto deferred,
      DeferredIndexes::Begin(db, "post", new_posts >= 1'000 && new_posts >= codes.size()));
  UpsertCounts counts;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    PATHWAY_ASSIGN_OR_RETURN(auto level_id,
                             Resolve(levels, i, "role_level", "role level", row.role_level));
    PATHWAY_ASSIGN_OR_RETURN(auto unit_id, Resolve(units, i, "unit", "unit", row.unit));
    PATHWAY_ASSIGN_OR_RETURN(auto location_id,
                             Resolve(locations, i, "location", "location", row.location));
    const auto bind = [&](Statement& stmt) {
      stmt.Bind(2, level_id)
          .Bind(3, unit_id)
          .Bind(4, location_id)
          .Bind(5, static_cast<int>(row.grade))
          .Bind(6, domain::ClearanceCode(row.clearance))
          .Bind(7, row.critical ? 1 : 0);
    };
    auto status = Upsert(
        db, codes, row.external_id, counts,
        [&](std::int64_t id) {
          // The UPDATE has the same columns one place earlier, then the id.
          update.Reset();
          update.Bind(1, level_id)
              .Bind(2, unit_id)
              .Bind(3, location_id)
              .Bind(4, static_cast<int>(row.grade))
              .Bind(5, domain::ClearanceCode(row.clearance))
              .Bind(6, row.critical ? 1 : 0)
              .Bind(7, id);
          return update.Run();
        },
        [&] {
          insert.Reset();
          insert.Bind(1, row.external_id);
          bind(insert);
          return insert.Run();
        });
    if (!status.ok()) return AtRow(std::move(status).error(), i);
    Report(progress, static_cast<std::int64_t>(i + 1), false);
  }
  PATHWAY_TRY(deferred.Rebuild());
  Report(progress, static_cast<std::int64_t>(rows.size()), true);
  return counts;
}

namespace {

// The people upsert reads and writes hundreds of thousands of rows, so it goes to
// SQLite's C API directly: texts are bound without a copy and read as views.
Error SqliteError(sqlite3* db, std::string_view what) {
  const int code = sqlite3_extended_errcode(db);
  std::string message = fmt::format("{}: {} (SQLite {})", what, sqlite3_errmsg(db), code);
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
      return Error::Unavailable(std::move(message));
    case SQLITE_CONSTRAINT:
      return {domain::ErrorCode::kConflict, {}, std::move(message)};
    default:
      return Error::Internal(std::move(message));
  }
}

// A prepared statement whose texts are bound with SQLITE_STATIC: every text bound
// must stay unchanged until the statement has run (the rows of the caller's span and
// constant names do).
class RawStatement {
 public:
  static Result<RawStatement> Prepare(Database& db, std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      return SqliteError(db.handle(), fmt::format("Could not prepare [{}]", sql.substr(0, 200)));
    }
    return RawStatement(stmt, db.handle());
  }
  RawStatement(RawStatement&& other) noexcept
      : stmt_(std::exchange(other.stmt_, nullptr)), db_(other.db_) {}
  RawStatement& operator=(RawStatement&& other) noexcept {
    if (this != &other) {
      sqlite3_finalize(stmt_);
      stmt_ = std::exchange(other.stmt_, nullptr);
      db_ = other.db_;
    }
    return *this;
  }
  RawStatement(const RawStatement&) = delete;
  RawStatement& operator=(const RawStatement&) = delete;
  ~RawStatement() { sqlite3_finalize(stmt_); }

  void BindInt(int index, std::int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
  void BindNull(int index) { sqlite3_bind_null(stmt_, index); }
  void BindText(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.empty() ? "" : text.data(), static_cast<int>(text.size()),
                      SQLITE_STATIC);
  }

  // True if there is a row, false when done. On an error the statement is rewound.
  Result<bool> Step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Error error = SqliteError(db_, "Step failed");
    sqlite3_reset(stmt_);
    return error;
  }
  // Runs a statement that returns no rows and rewinds it, keeping its bindings.
  Status Run() {
    const int rc = sqlite3_step(stmt_);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
      Error error = SqliteError(db_, "Step failed");
      sqlite3_reset(stmt_);
      return error;
    }
    sqlite3_reset(stmt_);
    return domain::Ok{};
  }

  int Type(int column) const { return sqlite3_column_type(stmt_, column); }
  std::int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  // Valid until the next Step.
  std::string_view Text(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    if (text == nullptr) return {};
    return {text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
  }

 private:
  RawStatement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
};

// Like LoadCodes, into the hash index the people upsert looks codes up in.
Result<domain::TextIndex> LoadIndex(Database& db, std::string_view sql) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, RawStatement::Prepare(db, sql));
  domain::TextIndex codes;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    codes.Emplace(stmt.Text(1), stmt.Int(0));
  }
  return codes;
}

Result<std::int64_t> Resolve(const domain::TextIndex& codes, std::size_t index,
                             std::string_view column, std::string_view what,
                             const std::string& code) {
  const std::int64_t* found = codes.Find(code);
  if (found == nullptr) return UnknownCode(index, column, what, code);
  return *found;
}

// The person columns an upsert writes besides id and external_id, in this order in
// every statement; a set of them is a mask of 1 << column.
enum PersonColumn : int {
  kName,
  kGrade,
  kDepartment,
  kLocation,
  kProfession,
  kPost,
  kManager,
  kClearanceLevel,
  kClearanceStatus,
  kClearanceGranted,
  kClearanceReviewDue,
  kStartDate,
  kPersonColumns
};
constexpr std::array<std::string_view, kPersonColumns> kPersonColumnNames{
    "display_name",         "grade",
    "department",           "location_id",
    "profession",           "post_id",
    "line_manager_id",      "clearance_level",
    "clearance_status",     "clearance_granted",
    "clearance_review_due", "start_date"};
constexpr std::uint32_t Bit(PersonColumn column) { return std::uint32_t{1} << column; }

// What the upsert makes of one record: its ids, and how it differs from the stored one.
struct PersonPlan {
  std::int64_t id = 0;  // stored, or given before the insert
  std::int64_t location_id = 0;
  std::int64_t post_id = 0;     // 0 for none
  std::int64_t manager_id = 0;  // 0 for none
  std::int64_t stored_post_id = 0;
  std::int64_t stored_manager_id = 0;
  std::vector<std::int64_t> other_professions;  // sorted, without repeats
  std::uint32_t changed = 0;                    // mask of the columns that differ
  bool stored = false;
  bool professions_changed = false;
  bool professions_seen = false;  // person_profession had rows for this stored person
};

// A column's value as SQLite stores it: NULL, an integer or a text.
struct Value {
  enum class Kind : std::uint8_t { kNull, kInt, kText };
  Kind kind = Kind::kNull;
  std::int64_t number = 0;
  std::string_view text;
};
Value Null() { return {}; }
Value Int(std::int64_t number) { return {Value::Kind::kInt, number, {}}; }
Value Text(std::string_view text) { return {Value::Kind::kText, 0, text}; }
// Optional references and dates are NULL, not 0 or ''.
Value OptionalId(std::int64_t id) { return id == 0 ? Null() : Int(id); }
Value OptionalText(std::string_view text) { return text.empty() ? Null() : Text(text); }

Value ColumnValue(int column, const domain::Person& row, const PersonPlan& plan,
                  std::int64_t manager_id) {
  switch (column) {
    case kName:
      return Text(row.name);
    case kGrade:
      return Int(static_cast<int>(row.grade));
    case kDepartment:
      return Text(row.department);
    case kLocation:
      return Int(plan.location_id);
    case kProfession:
      return Text(row.profession);
    case kPost:
      return OptionalId(plan.post_id);
    case kManager:
      return OptionalId(manager_id);
    case kClearanceLevel:
      return row.clearance ? Text(domain::ClearanceCode(row.clearance->level)) : Null();
    case kClearanceStatus:
      return row.clearance ? Text(domain::ClearanceStatusName(row.clearance->status)) : Null();
    case kClearanceGranted:
      return row.clearance ? OptionalText(row.clearance->granted) : Null();
    case kClearanceReviewDue:
      return row.clearance ? OptionalText(row.clearance->review_due) : Null();
    case kStartDate:
      return OptionalText(row.start_date);
    default:
      return Null();
  }
}

void Bind(RawStatement& stmt, int index, const Value& value) {
  switch (value.kind) {
    case Value::Kind::kNull:
      stmt.BindNull(index);
      break;
    case Value::Kind::kInt:
      stmt.BindInt(index, value.number);
      break;
    case Value::Kind::kText:
      stmt.BindText(index, value.text);
      break;
  }
}

bool Same(const RawStatement& stmt, int column, const Value& value) {
  const int type = stmt.Type(column);
  switch (value.kind) {
    case Value::Kind::kNull:
      return type == SQLITE_NULL;
    case Value::Kind::kInt:
      return type == SQLITE_INTEGER && stmt.Int(column) == value.number;
    case Value::Kind::kText:
      return type == SQLITE_TEXT && stmt.Text(column) == value.text;
  }
  return false;
}

// "INSERT ... VALUES (?, ?), (?, ?)": `rows` groups of `columns` parameters.
std::string InsertSql(std::string_view head, int columns, std::size_t rows) {
  std::string group = "(?";
  for (int c = 1; c < columns; ++c) group += ", ?";
  group += ")";
  std::string sql(head);
  sql.reserve(head.size() + rows * (group.size() + 2));
  sql += " VALUES ";
  for (std::size_t r = 0; r < rows; ++r) {
    if (r > 0) sql += ", ";
    sql += group;
  }
  return sql;
}

std::string PersonInsertHead() {
  std::string head = "INSERT INTO person (id, external_id";
  for (const auto name : kPersonColumnNames) fmt::format_to(std::back_inserter(head), ", {}", name);
  head += ")";
  return head;
}

// A write error of row `index`, in the words of the record where they are known.
Error PersonRowError(Error error, std::size_t index, const domain::Person& row) {
  if (error.message.find("person.post_id") != std::string::npos) {
    return Error::InvalidInput(
        Field(index, "post"),
        fmt::format("Post {} is held by someone else; a post has one holder", row.post));
  }
  return AtRow(std::move(error), index);
}

// Refuses a line-management cycle among the stored people with `rows` laid over them.
// Records are named by index into `rows` (>= 0) or by ~stored id (< 0) so that new
// people, who have no id yet, can take part.
Status CheckLineManagementLoops(std::span<const domain::Person> rows,
                                const domain::TextIndex& row_of, const domain::TextIndex& people,
                                const std::vector<PersonPlan>& plans,
                                const absl::flat_hash_map<std::int64_t, std::int64_t>& manager_of) {
  absl::flat_hash_map<std::int64_t, std::int64_t> stored_id_to_row;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (plans[i].stored) stored_id_to_row.emplace(plans[i].id, static_cast<std::int64_t>(i));
  }
  const auto node_of_stored = [&](std::int64_t id) -> std::int64_t {
    const auto found = stored_id_to_row.find(id);
    return found != stored_id_to_row.end() ? found->second : ~id;
  };
  const auto next = [&](std::int64_t node) -> std::optional<std::int64_t> {
    if (node >= 0) {
      const auto& manager = rows[static_cast<std::size_t>(node)].line_manager;
      if (manager.empty()) return std::nullopt;
      if (const auto* row = row_of.Find(manager)) return *row;
      return node_of_stored(*people.Find(manager));
    }
    const auto found = manager_of.find(~node);
    if (found == manager_of.end()) return std::nullopt;
    return node_of_stored(found->second);
  };
  // 0 = not seen, 1 = on the current walk, 2 = known to reach the top.
  absl::flat_hash_map<std::int64_t, char> state;
  std::vector<std::int64_t> walk;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    walk.clear();
    std::optional<std::int64_t> node = static_cast<std::int64_t>(i);
    while (node && state[*node] == 0) {
      state[*node] = 1;
      walk.push_back(*node);
      node = next(*node);
    }
    if (node && state[*node] == 1) {
      // `*node` is on this walk: the cycle runs from it to the end of the walk.
      const auto name_of = [&](std::int64_t n) -> std::string {
        if (n >= 0) return rows[static_cast<std::size_t>(n)].external_id;
        std::string name;
        people.ForEach([&](std::string_view external_id, std::int64_t id) {
          if (id == ~n) name = external_id;
        });
        return name;
      };
      std::size_t first = 0;
      while (walk[first] != *node) ++first;
      std::string names;
      for (std::size_t k = first; k < walk.size(); ++k) names += name_of(walk[k]) + " → ";
      names += name_of(*node);
      const std::size_t at = *node >= 0 ? static_cast<std::size_t>(*node) : i;
      return Error::InvalidInput(Field(at, "line_manager"),
                                 fmt::format("Line managers form a loop: {}", names));
    }
    for (const auto n : walk) state[n] = 2;
  }
  return domain::Ok{};
}

// New people go in this many to an INSERT: one statement for many rows costs far less
// than a statement each.
constexpr std::size_t kInsertBatch = 256;

}  // namespace

Result<UpsertCounts> UpsertPeople(Database& db, std::span<const domain::Person> rows,
                                  const WriteProgress& progress) {
  PeopleUpsertOptions options;
  options.progress = progress;
  return UpsertPeople(db, rows, options);
}

Result<UpsertCounts> UpsertPeople(Database& db, std::span<const domain::Person> rows,
                                  const PeopleUpsertOptions& options) {
  const WriteProgress& progress = options.progress;
  BulkCache cache(db, rows.size());
  PATHWAY_ASSIGN_OR_RETURN(auto departments, LoadIndex(db, "SELECT id, code FROM department"));
  PATHWAY_ASSIGN_OR_RETURN(auto locations, LoadIndex(db, "SELECT id, code FROM location"));
  PATHWAY_ASSIGN_OR_RETURN(auto professions, LoadIndex(db, "SELECT id, code FROM profession"));
  PATHWAY_ASSIGN_OR_RETURN(auto posts, LoadIndex(db, "SELECT id, external_id FROM post"));

  // The rows by external id. The first row that repeats an earlier one is refused when
  // its turn comes below, so that errors come in the order of the rows.
  domain::TextIndex row_of(rows.size());
  std::size_t first_repeat = rows.size();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!row_of.Emplace(rows[i].external_id, static_cast<std::int64_t>(i)).second &&
        first_repeat == rows.size()) {
      first_repeat = i;
    }
  }

  // Resolve every code before writing anything, so that a bad row leaves the
  // transaction as it was.
  std::vector<PersonPlan> plans(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    auto& plan = plans[i];
    if (i == first_repeat) {
      return Error::InvalidInput(Field(i, "external_id"),
                                 fmt::format("Person {} appears more than once", row.external_id));
    }
    if (!row.department.empty()) {
      PATHWAY_TRY(Resolve(departments, i, "department", "department", row.department));
    }
    PATHWAY_ASSIGN_OR_RETURN(plan.location_id,
                             Resolve(locations, i, "location", "location", row.location));
    if (!row.profession.empty()) {
      PATHWAY_TRY(Resolve(professions, i, "profession", "profession", row.profession));
    }
    for (const auto& code : row.other_professions) {
      PATHWAY_ASSIGN_OR_RETURN(auto id,
                               Resolve(professions, i, "other_professions", "profession", code));
      plan.other_professions.push_back(id);
    }
    std::sort(plan.other_professions.begin(), plan.other_professions.end());
    plan.other_professions.erase(
        std::unique(plan.other_professions.begin(), plan.other_professions.end()),
        plan.other_professions.end());
    if (!row.post.empty()) {
      PATHWAY_ASSIGN_OR_RETURN(plan.post_id, Resolve(posts, i, "post", "post", row.post));
    }
  }

  // The stored people, in one pass: every id by external id, and for each one in the
  // file, which of its columns differ from the row (all but the line manager, whose id
  // may not be known yet).
  domain::TextIndex people;
  absl::flat_hash_map<std::int64_t, std::int64_t> manager_of;  // for the loop check
  absl::flat_hash_map<std::int64_t, std::size_t> row_of_stored;
  std::int64_t max_id = 0;
  {
    PATHWAY_ASSIGN_OR_RETURN(auto count, RawStatement::Prepare(db, "SELECT COUNT(*) FROM person"));
    PATHWAY_ASSIGN_OR_RETURN(bool counted, count.Step());
    if (counted) people.Reserve(static_cast<std::size_t>(count.Int(0)));
    std::string sql = "SELECT id, external_id";
    for (const auto name : kPersonColumnNames) {
      fmt::format_to(std::back_inserter(sql), ", {}", name);
    }
    sql += " FROM person";
    PATHWAY_ASSIGN_OR_RETURN(auto stmt, RawStatement::Prepare(db, sql));
    constexpr int kFirst = 2;  // result column of the first PersonColumn
    for (;;) {
      PATHWAY_ASSIGN_OR_RETURN(bool has, stmt.Step());
      if (!has) break;
      const std::int64_t id = stmt.Int(0);
      const std::string_view external_id = stmt.Text(1);
      people.Emplace(external_id, id);
      max_id = std::max(max_id, id);
      const bool has_manager = stmt.Type(kFirst + kManager) != SQLITE_NULL;
      if (!options.loops_checked && has_manager) {
        manager_of.emplace(id, stmt.Int(kFirst + kManager));
      }
      const std::int64_t* row_index = row_of.Find(external_id);
      if (row_index == nullptr) continue;
      const auto i = static_cast<std::size_t>(*row_index);
      auto& plan = plans[i];
      plan.stored = true;
      plan.id = id;
      row_of_stored.emplace(id, i);
      plan.stored_manager_id = has_manager ? stmt.Int(kFirst + kManager) : 0;
      plan.stored_post_id = stmt.Type(kFirst + kPost) != SQLITE_NULL ? stmt.Int(kFirst + kPost) : 0;
      for (int column = 0; column < kPersonColumns; ++column) {
        if (column == kManager) continue;
        if (!Same(stmt, kFirst + column, ColumnValue(column, rows[i], plan, 0))) {
          plan.changed |= Bit(static_cast<PersonColumn>(column));
        }
      }
      // A stored clearance changes only through a vetting case's decision (issue 19): a
      // file that would change it is refused, naming the row and column. People without
      // one yet (new, or recorded before their clearance) take it from the file.
      const bool has_clearance = stmt.Type(kFirst + kClearanceLevel) != SQLITE_NULL;
      for (PersonColumn column :
           {kClearanceLevel, kClearanceStatus, kClearanceGranted, kClearanceReviewDue}) {
        if (has_clearance && (plan.changed & Bit(column)) != 0) {
          return Error::InvalidInput(
              Field(i, kPersonColumnNames[column]),
              fmt::format(
                  "{}'s clearance changes only through a vetting case's decision: keep the "
                  "{} this person has in Pathway, or leave the clearance columns as they are",
                  external_id, kPersonColumnNames[column]));
        }
      }
    }
  }

  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& manager = rows[i].line_manager;
    if (manager.empty()) continue;
    if (!row_of.Contains(manager) && !people.Contains(manager)) {
      return UnknownCode(i, "line_manager", "person", manager);
    }
  }
  if (!options.loops_checked) {
    PATHWAY_TRY(CheckLineManagementLoops(rows, row_of, people, plans, manager_of));
  }

  // New people get their ids now, in the order of the rows, so that a row can name a
  // manager who is not written yet.
  std::vector<std::size_t> new_rows;
  std::int64_t next_id = max_id + 1;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (plans[i].stored) continue;
    plans[i].id = next_id++;
    new_rows.push_back(i);
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto& plan = plans[i];
    const auto& manager = rows[i].line_manager;
    if (!manager.empty()) {
      if (const std::int64_t* id = people.Find(manager)) {
        plan.manager_id = *id;
      } else {
        plan.manager_id = plans[static_cast<std::size_t>(*row_of.Find(manager))].id;
      }
    }
    if (plan.stored && plan.manager_id != plan.stored_manager_id) plan.changed |= Bit(kManager);
  }

  // Other professions, as a difference from the stored ones.
  std::vector<std::pair<std::size_t, std::int64_t>> removed;  // (row, profession id)
  std::vector<std::pair<std::size_t, std::int64_t>> added;
  if (!row_of_stored.empty()) {
    PATHWAY_ASSIGN_OR_RETURN(
        auto stmt, RawStatement::Prepare(db,
                                         "SELECT person_id, profession_id FROM "
                                         "person_profession ORDER BY person_id, profession_id"));
    std::vector<std::int64_t> held;
    std::optional<std::int64_t> current_person;
    std::size_t current = rows.size();  // its row, or rows.size() if not in the file
    const auto flush = [&] {
      if (current == rows.size()) return;
      auto& plan = plans[current];
      plan.professions_seen = true;
      const auto& wanted = plan.other_professions;
      std::vector<std::int64_t> difference;
      std::set_difference(held.begin(), held.end(), wanted.begin(), wanted.end(),
                          std::back_inserter(difference));
      for (const auto id : difference) removed.emplace_back(current, id);
      difference.clear();
      std::set_difference(wanted.begin(), wanted.end(), held.begin(), held.end(),
                          std::back_inserter(difference));
      for (const auto id : difference) added.emplace_back(current, id);
      plan.professions_changed = held != wanted;
    };
    for (;;) {
      PATHWAY_ASSIGN_OR_RETURN(bool has, stmt.Step());
      if (!has) break;
      const std::int64_t person_id = stmt.Int(0);
      if (person_id != current_person) {
        flush();
        held.clear();
        current_person = person_id;
        const auto found = row_of_stored.find(person_id);
        current = found == row_of_stored.end() ? rows.size() : found->second;
      }
      if (current != rows.size()) held.push_back(stmt.Int(1));
    }
    flush();
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto& plan = plans[i];
    if (plan.stored && !plan.professions_seen && !plan.other_professions.empty()) {
      plan.professions_changed = true;
      for (const auto id : plan.other_professions) added.emplace_back(i, id);
    }
  }

  UpsertCounts counts;
  for (const auto& plan : plans) {
    if (!plan.stored) {
      ++counts.inserted;
    } else if (plan.changed != 0 || plan.professions_changed) {
      ++counts.updated;
    } else {
      ++counts.unchanged;
    }
  }

  // Posts may move between people in the file: free the posts that change hands first,
  // since the database allows one holder per post at every moment.
  {
    std::optional<RawStatement> free_post;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      auto& plan = plans[i];
      if (!plan.stored || plan.stored_post_id == 0 || plan.stored_post_id == plan.post_id) continue;
      if (!free_post) {
        PATHWAY_ASSIGN_OR_RETURN(
            free_post, RawStatement::Prepare(db, "UPDATE person SET post_id = NULL WHERE id = ?"));
      }
      free_post->BindInt(1, plan.id);
      if (auto status = free_post->Run(); !status.ok()) {
        return AtRow(std::move(status).error(), i);
      }
      if (plan.post_id == 0) plan.changed &= ~Bit(kPost);  // already as the row has it
    }
  }

  // Writing a large part of the table is faster without its non-unique indexes,
  // built again at the end.
  const auto written = static_cast<std::size_t>(counts.inserted + counts.updated);
  const bool defer = written >= 1'000 && written * 4 >= people.size() + new_rows.size();
  PATHWAY_ASSIGN_OR_RETURN(auto deferred, DeferredIndexes::Begin(db, "person", defer));

  std::int64_t done = 0;
  const auto report = [&] { Report(progress, ++done, false); };
  const auto changed = [&](std::int64_t id) {
    if (options.changed_ids != nullptr) options.changed_ids->push_back(id);
  };

  // The new people, kInsertBatch to a statement. SQLite checks foreign keys at the end
  // of each statement, so a manager later in the same statement is fine; managers later
  // in the file than that are set after.
  std::vector<std::size_t> later_managers;
  if (!new_rows.empty()) {
    constexpr int kInsertColumns = 2 + kPersonColumns;
    const std::string head = PersonInsertHead();
    std::optional<RawStatement> full;
    std::optional<RawStatement> tail;
    // Binds row i at the statement's `slot`, with its manager if `manager_written`.
    const auto bind_row = [&](RawStatement& stmt, std::size_t slot, std::size_t i,
                              bool manager_written) {
      const auto& plan = plans[i];
      const int first = static_cast<int>(slot) * kInsertColumns + 1;
      stmt.BindInt(first, plan.id);
      stmt.BindText(first + 1, rows[i].external_id);
      const std::int64_t manager_id = manager_written ? plan.manager_id : 0;
      for (int column = 0; column < kPersonColumns; ++column) {
        Bind(stmt, first + 2 + column, ColumnValue(column, rows[i], plan, manager_id));
      }
    };
    for (std::size_t start = 0; start < new_rows.size(); start += kInsertBatch) {
      const std::size_t n = std::min(kInsertBatch, new_rows.size() - start);
      auto& slot = n == kInsertBatch ? full : tail;
      if (!slot) {
        PATHWAY_ASSIGN_OR_RETURN(slot,
                                 RawStatement::Prepare(db, InsertSql(head, kInsertColumns, n)));
      }
      auto& insert = *slot;
      // New ids grow with the rows: a manager is in the table by the end of this
      // statement if their id is at most the last one it inserts.
      const std::int64_t last_id = plans[new_rows[start + n - 1]].id;
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = new_rows[start + k];
        const bool manager_written = plans[i].manager_id <= last_id;
        if (!manager_written) later_managers.push_back(i);
        bind_row(insert, k, i, manager_written);
      }
      if (auto status = insert.Run(); !status.ok()) {
        // Again a row at a time, in this transaction, to find the row the database
        // refuses; the caller rolls the transaction back.
        PATHWAY_ASSIGN_OR_RETURN(auto single,
                                 RawStatement::Prepare(db, InsertSql(head, kInsertColumns, 1)));
        for (std::size_t k = 0; k < n; ++k) {
          const std::size_t i = new_rows[start + k];
          bind_row(single, 0, i, plans[i].manager_id < plans[i].id);
          if (auto one = single.Run(); !one.ok()) {
            return PersonRowError(std::move(one).error(), i, rows[i]);
          }
        }
        return PersonRowError(std::move(status).error(), new_rows[start], rows[new_rows[start]]);
      }
      for (std::size_t k = 0; k < n; ++k) {
        changed(plans[new_rows[start + k]].id);
        report();
      }
    }
  }

  // The stored people: an UPDATE of the changed columns only, one statement for each
  // set of them, so that only the indexes on those columns change.
  {
    absl::flat_hash_map<std::uint32_t, RawStatement> updates;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& plan = plans[i];
      if (!plan.stored) continue;
      if (plan.changed != 0) {
        auto found = updates.find(plan.changed);
        if (found == updates.end()) {
          std::string sql = "UPDATE person SET ";
          bool first = true;
          for (int column = 0; column < kPersonColumns; ++column) {
            if ((plan.changed & Bit(static_cast<PersonColumn>(column))) == 0) continue;
            fmt::format_to(std::back_inserter(sql), "{}{} = ?", first ? "" : ", ",
                           kPersonColumnNames[static_cast<std::size_t>(column)]);
            first = false;
          }
          sql += " WHERE id = ?";
          PATHWAY_ASSIGN_OR_RETURN(auto stmt, RawStatement::Prepare(db, sql));
          found = updates.emplace(plan.changed, std::move(stmt)).first;
        }
        auto& update = found->second;
        int index = 1;
        for (int column = 0; column < kPersonColumns; ++column) {
          if ((plan.changed & Bit(static_cast<PersonColumn>(column))) == 0) continue;
          Bind(update, index++, ColumnValue(column, rows[i], plan, plan.manager_id));
        }
        update.BindInt(index, plan.id);
        if (auto status = update.Run(); !status.ok()) {
          return PersonRowError(std::move(status).error(), i, rows[i]);
        }
      }
      if (plan.changed != 0 || plan.professions_changed) changed(plan.id);
      report();
    }
  }

  if (!later_managers.empty()) {
    PATHWAY_ASSIGN_OR_RETURN(
        auto set_manager,
        RawStatement::Prepare(db, "UPDATE person SET line_manager_id = ? WHERE id = ?"));
    for (const std::size_t i : later_managers) {
      set_manager.BindInt(1, plans[i].manager_id);
      set_manager.BindInt(2, plans[i].id);
      if (auto status = set_manager.Run(); !status.ok()) {
        return AtRow(std::move(status).error(), i);
      }
    }
  }

  if (!removed.empty()) {
    PATHWAY_ASSIGN_OR_RETURN(
        auto remove,
        RawStatement::Prepare(
            db, "DELETE FROM person_profession WHERE person_id = ? AND profession_id = ?"));
    for (const auto& [i, profession_id] : removed) {
      remove.BindInt(1, plans[i].id);
      remove.BindInt(2, profession_id);
      if (auto status = remove.Run(); !status.ok()) return AtRow(std::move(status).error(), i);
    }
  }
  // The new people's professions after the stored people's, each in the order of rows.
  for (const auto i : new_rows) {
    for (const auto id : plans[i].other_professions) added.emplace_back(i, id);
  }
  if (!added.empty()) {
    constexpr std::string_view kHead =
        "INSERT OR IGNORE INTO person_profession (person_id, profession_id)";
    std::optional<RawStatement> full;
    std::optional<RawStatement> tail;
    for (std::size_t start = 0; start < added.size(); start += kInsertBatch) {
      const std::size_t n = std::min(kInsertBatch, added.size() - start);
      auto& slot = n == kInsertBatch ? full : tail;
      if (!slot) {
        PATHWAY_ASSIGN_OR_RETURN(slot, RawStatement::Prepare(db, InsertSql(kHead, 2, n)));
      }
      for (std::size_t k = 0; k < n; ++k) {
        const auto& [i, profession_id] = added[start + k];
        slot->BindInt(static_cast<int>(2 * k + 1), plans[i].id);
        slot->BindInt(static_cast<int>(2 * k + 2), profession_id);
      }
      if (auto status = slot->Run(); !status.ok()) {
        return AtRow(std::move(status).error(), added[start].first);
      }
    }
  }

  PATHWAY_TRY(deferred.Rebuild());
  Report(progress, static_cast<std::int64_t>(rows.size()), true);
  return counts;
}

}  // namespace pathway::store
