#include "store/workforce_write.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>

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
// holds, the table's non-unique indexes are dropped for the write and built again once
// at the end, by sorting, which costs less than keeping them up to date. Unique indexes
// stay, since they check each row as it goes in. All of it happens in the caller's
// transaction, so a rollback restores the indexes with everything else.
class DeferredIndexes {
 public:
  // Drops `table`'s non-unique indexes if `new_rows` is large and at least `stored_rows`.
  static Result<DeferredIndexes> Begin(Database& db, std::string_view table, std::size_t new_rows,
                                       std::size_t stored_rows) {
    DeferredIndexes deferred(db);
    if (new_rows < 1'000 || new_rows < stored_rows) return deferred;
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
  PATHWAY_ASSIGN_OR_RETURN(auto deferred,
                           DeferredIndexes::Begin(db, "post", new_posts, codes.size()));
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

Result<UpsertCounts> UpsertPeople(Database& db, std::span<const domain::Person> rows,
                                  const WriteProgress& progress) {
  BulkCache cache(db, rows.size());
  PATHWAY_ASSIGN_OR_RETURN(auto departments, LoadCodes(db, "SELECT id, code FROM department"));
  PATHWAY_ASSIGN_OR_RETURN(auto locations, LoadCodes(db, "SELECT id, code FROM location"));
  PATHWAY_ASSIGN_OR_RETURN(auto professions, LoadCodes(db, "SELECT id, code FROM profession"));
  PATHWAY_ASSIGN_OR_RETURN(auto posts, LoadCodes(db, "SELECT id, external_id FROM post"));

  // The stored people: id by external id, and each one's manager and post.
  CodeMap people;
  std::unordered_map<std::int64_t, std::int64_t> manager_of;
  std::unordered_map<std::int64_t, std::int64_t> post_of;
  {
    PATHWAY_ASSIGN_OR_RETURN(
        auto stmt, db.Prepare("SELECT id, external_id, line_manager_id, post_id FROM person"));
    for (;;) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      const std::int64_t id = stmt.ColumnInt(0);
      people.emplace(stmt.ColumnText(1), id);
      if (!stmt.ColumnIsNull(2)) manager_of.emplace(id, stmt.ColumnInt(2));
      if (!stmt.ColumnIsNull(3)) post_of.emplace(id, stmt.ColumnInt(3));
    }
  }

  // Resolve every code before writing anything, so that a bad row leaves the
  // transaction as it was.
  struct Resolved {
    std::int64_t location_id = 0;
    std::int64_t post_id = 0;  // 0 for none
    std::vector<std::int64_t> other_professions;
  };
  std::vector<Resolved> resolved(rows.size());
  std::unordered_set<std::string_view> in_rows;
  in_rows.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    auto& r = resolved[i];
    if (!in_rows.insert(row.external_id).second) {
      return Error::InvalidInput(Field(i, "external_id"),
                                 fmt::format("Person {} appears more than once", row.external_id));
    }
    if (!row.department.empty()) {
      PATHWAY_TRY(Resolve(departments, i, "department", "department", row.department));
    }
    PATHWAY_ASSIGN_OR_RETURN(r.location_id,
                             Resolve(locations, i, "location", "location", row.location));
    if (!row.profession.empty()) {
      PATHWAY_TRY(Resolve(professions, i, "profession", "profession", row.profession));
    }
    for (const auto& code : row.other_professions) {
      PATHWAY_ASSIGN_OR_RETURN(auto id,
                               Resolve(professions, i, "other_professions", "profession", code));
      r.other_professions.push_back(id);
    }
    if (!row.post.empty()) {
      PATHWAY_ASSIGN_OR_RETURN(r.post_id, Resolve(posts, i, "post", "post", row.post));
    }
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& manager = rows[i].line_manager;
    if (manager.empty()) continue;
    if (!in_rows.contains(manager) && !people.contains(manager)) {
      return UnknownCode(i, "line_manager", "person", manager);
    }
  }

  // Line-management cycles over the stored people with the new records laid over them.
  // Records are named by index into `rows` (>= 0) or by ~stored id (< 0) so that new
  // people, who have no id yet, can take part.
  {
    std::unordered_map<std::string_view, std::size_t> row_of;
    row_of.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) row_of.emplace(rows[i].external_id, i);
    std::unordered_map<std::int64_t, std::int64_t> stored_id_to_row;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (const auto found = people.find(rows[i].external_id); found != people.end()) {
        stored_id_to_row.emplace(found->second, static_cast<std::int64_t>(i));
      }
    }
    const auto node_of_stored = [&](std::int64_t id) -> std::int64_t {
      const auto found = stored_id_to_row.find(id);
      return found != stored_id_to_row.end() ? found->second : ~id;
    };
    const auto next = [&](std::int64_t node) -> std::optional<std::int64_t> {
      if (node >= 0) {
        const auto& manager = rows[static_cast<std::size_t>(node)].line_manager;
        if (manager.empty()) return std::nullopt;
        if (const auto found = row_of.find(manager); found != row_of.end()) {
          return static_cast<std::int64_t>(found->second);
        }
        return node_of_stored(people.at(manager));
      }
      const auto found = manager_of.find(~node);
      if (found == manager_of.end()) return std::nullopt;
      return node_of_stored(found->second);
    };
    // 0 = not seen, 1 = on the current walk, 2 = known to reach the top.
    std::unordered_map<std::int64_t, char> state;
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
          for (const auto& [external_id, id] : people) {
            if (id == ~n) return external_id;
          }
          return {};
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
  }

  PATHWAY_ASSIGN_OR_RETURN(
      auto insert, db.Prepare("INSERT INTO person (external_id, display_name, grade, department, "
                              "location_id, profession, post_id, line_manager_id, "
                              "clearance_level, clearance_status, clearance_granted, "
                              "clearance_review_due, start_date) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  PATHWAY_ASSIGN_OR_RETURN(
      auto update, db.Prepare("UPDATE person SET display_name = ?, grade = ?, department = ?, "
                              "location_id = ?, profession = ?, post_id = ?, line_manager_id = ?, "
                              "clearance_level = ?, clearance_status = ?, clearance_granted = ?, "
                              "clearance_review_due = ?, start_date = ? WHERE id = ?"));
  PATHWAY_ASSIGN_OR_RETURN(auto set_manager,
                           db.Prepare("UPDATE person SET line_manager_id = ? WHERE id = ?"));
  PATHWAY_ASSIGN_OR_RETURN(auto free_post,
                           db.Prepare("UPDATE person SET post_id = NULL WHERE id = ?"));
  PATHWAY_ASSIGN_OR_RETURN(auto clear_professions,
                           db.Prepare("DELETE FROM person_profession WHERE person_id = ?"));
  PATHWAY_ASSIGN_OR_RETURN(
      auto add_profession,
      db.Prepare("INSERT OR IGNORE INTO person_profession (person_id, profession_id) "
                 "VALUES (?, ?)"));

  // Posts may move between people in the file: free the posts that change hands first,
  // since the database allows one holder per post at every moment.
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto found = people.find(rows[i].external_id);
    if (found == people.end()) continue;
    const auto held = post_of.find(found->second);
    if (held == post_of.end() || held->second == resolved[i].post_id) continue;
    free_post.Reset();
    free_post.Bind(1, found->second);
    PATHWAY_TRY(free_post.Run());
  }

  std::size_t new_people = 0;
  for (const auto& row : rows) new_people += people.contains(row.external_id) ? 0 : 1;
  PATHWAY_ASSIGN_OR_RETURN(auto deferred,
                           DeferredIndexes::Begin(db, "person", new_people, people.size()));

  // Pass 1: every person, with the line manager when they are already stored.
  std::vector<std::size_t> later_managers;
  UpsertCounts counts;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    const auto& r = resolved[i];
    std::int64_t manager_id = 0;
    if (!row.line_manager.empty()) {
      if (const auto found = people.find(row.line_manager); found != people.end()) {
        manager_id = found->second;
      } else {
        later_managers.push_back(i);
      }
    }
    // Binds columns first..first+11 in the order the two statements share.
    const auto bind = [&](Statement& stmt, int first) {
      stmt.Bind(first, row.name)
          .Bind(first + 1, static_cast<int>(row.grade))
          .Bind(first + 2, row.department)
          .Bind(first + 3, r.location_id)
          .Bind(first + 4, row.profession);
      if (r.post_id != 0) {
        stmt.Bind(first + 5, r.post_id);
      } else {
        stmt.BindNull(first + 5);
      }
      if (manager_id != 0) {
        stmt.Bind(first + 6, manager_id);
      } else {
        stmt.BindNull(first + 6);
      }
      if (row.clearance) {
        stmt.Bind(first + 7, domain::ClearanceCode(row.clearance->level))
            .Bind(first + 8, domain::ClearanceStatusName(row.clearance->status));
        BindOptional(stmt, first + 9, row.clearance->granted);
        BindOptional(stmt, first + 10, row.clearance->review_due);
      } else {
        stmt.BindNull(first + 7).BindNull(first + 8).BindNull(first + 9).BindNull(first + 10);
      }
      BindOptional(stmt, first + 11, row.start_date);
    };
    const bool existed = people.contains(row.external_id);
    auto status = Upsert(
        db, people, row.external_id, counts,
        [&](std::int64_t id) {
          update.Reset();
          bind(update, 1);
          update.Bind(13, id);
          return update.Run();
        },
        [&] {
          insert.Reset();
          insert.Bind(1, row.external_id);
          bind(insert, 2);
          return insert.Run();
        });
    if (!status.ok()) {
      auto error = std::move(status).error();
      if (error.message.find("person.post_id") != std::string::npos) {
        return Error::InvalidInput(
            Field(i, "post"),
            fmt::format("Post {} is held by someone else; a post has one holder", row.post));
      }
      return AtRow(std::move(error), i);
    }
    const std::int64_t person_id = people.at(row.external_id);
    if (existed) {
      clear_professions.Reset();
      clear_professions.Bind(1, person_id);
      PATHWAY_TRY(clear_professions.Run());
    }
    for (const std::int64_t profession_id : r.other_professions) {
      add_profession.Reset();
      add_profession.Bind(1, person_id).Bind(2, profession_id);
      PATHWAY_TRY(add_profession.Run());
    }
    Report(progress, static_cast<std::int64_t>(i + 1), false);
  }

  // Pass 2: line managers who were written after the people they manage.
  for (const std::size_t i : later_managers) {
    set_manager.Reset();
    set_manager.Bind(1, people.at(rows[i].line_manager)).Bind(2, people.at(rows[i].external_id));
    PATHWAY_TRY(set_manager.Run());
  }
  PATHWAY_TRY(deferred.Rebuild());
  Report(progress, static_cast<std::int64_t>(rows.size()), true);
  return counts;
}

}  // namespace pathway::store
