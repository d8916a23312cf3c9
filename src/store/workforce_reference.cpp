#include "store/workforce_reference.hpp"

#include <algorithm>
#include <map>
#include <variant>

#include <fmt/format.h>

#include "domain/workforce.hpp"

namespace pathway::store {
namespace {

using Bind = std::variant<std::int64_t, std::string>;

constexpr int kLadder = 5;
constexpr int kSharedItems = 10;
constexpr int kPoolItems = 24;

// splitmix64: fast, deterministic, good enough for test data.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int Below(int n) { return static_cast<int>(Next() % static_cast<std::uint64_t>(n)); }
  bool Chance(double p) { return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p; }

 private:
  std::uint64_t state_;
};

int PoolItem(int profession, int i, int items) {
  const int span = std::max(1, items - kSharedItems);
  return kSharedItems + (profession * (kPoolItems / 2) + i) % span;
}

Status Run(Statement& stmt) {
  PATHWAY_TRY(stmt.Run());
  stmt.Reset();
  return domain::Ok{};
}

void BindAll(Statement& stmt, const std::vector<Bind>& binds) {
  for (std::size_t i = 0; i < binds.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    if (const auto* n = std::get_if<std::int64_t>(&binds[i])) {
      stmt.Bind(index, *n);
    } else {
      stmt.Bind(index, std::get<std::string>(binds[i]));
    }
  }
}

// "?, ?, ?": `n` SQL parameter markers for an IN list, bound one by one afterwards.
std::string ParameterMarkers(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += i == 0 ? "?" : ", ?";
  return s;
}

// The requirement set as a CTE req(item, need, weight).
std::string RequirementCte(const std::string& role_level,
                           const std::vector<engine::RequirementSpec>& requirements,
                           std::vector<Bind>& binds) {
  if (!role_level.empty()) {
    binds.emplace_back(role_level);
    return "req(item, need, weight) AS (SELECT rr.item_ref_id, rr.level, rr.weight "
           "FROM role_requirement rr JOIN role_level rl ON rl.id = rr.role_level_id "
           "WHERE rl.code = ?)";
  }
  std::string sql = "req(item, need, weight) AS (VALUES ";
  for (std::size_t i = 0; i < requirements.size(); ++i) {
    sql += i == 0 ? "" : ", ";
    sql += "((SELECT id FROM item_ref WHERE item_id = ?), ?, ?)";
    binds.emplace_back(requirements[i].item_id);
    binds.emplace_back(std::int64_t{requirements[i].level});
    binds.emplace_back(std::int64_t{requirements[i].weight});
  }
  return sql + ")";
}

std::string RegionCode(const std::string& text) {
  const domain::RegionInfo* region = domain::FindRegion(text);
  return region ? std::string(region->code) : text;
}

// Conditions on person p (with location l joined when regions are filtered).
std::string PersonFilters(const engine::Filters& f, std::vector<Bind>& binds) {
  std::string sql = "1";
  if (!f.professions.empty()) {
    sql += " AND p.profession IN (" + ParameterMarkers(f.professions.size()) + ")";
    for (const auto& p : f.professions) binds.emplace_back(p);
  }
  if (f.grade_min || f.grade_max) {
    sql += " AND p.grade BETWEEN ? AND ?";
    binds.emplace_back(std::int64_t{f.grade_min ? static_cast<int>(*f.grade_min) : 0});
    binds.emplace_back(
        std::int64_t{f.grade_max ? static_cast<int>(*f.grade_max) : domain::kGradeCount - 1});
  }
  if (!f.regions.empty()) {
    sql += " AND p.location_id IN (SELECT id FROM location WHERE region IN (" +
           ParameterMarkers(f.regions.size()) + "))";
    for (const auto& r : f.regions) binds.emplace_back(RegionCode(r));
  }
  if (!f.departments.empty()) {
    sql += " AND p.department IN (" + ParameterMarkers(f.departments.size()) + ")";
    for (const auto& d : f.departments) binds.emplace_back(d);
  }
  if (f.clearance_at_least) {
    sql +=
        " AND p.clearance_status = 'active' AND (CASE p.clearance_level WHEN 'BPSS' THEN 0 "
        "WHEN 'CTC' THEN 1 WHEN 'SC' THEN 2 WHEN 'DV' THEN 3 END) >= ?";
    binds.emplace_back(std::int64_t{static_cast<int>(*f.clearance_at_least)});
  }
  return sql;
}

constexpr std::string_view kCurrentLevel =
    "ROW_NUMBER() OVER (PARTITION BY a.person_id, a.item_ref_id "
    "ORDER BY (a.assessor <> 'self') DESC, a.seq DESC) AS rn";

std::string PersonDimension(engine::Dimension d) {
  switch (d) {
    case engine::Dimension::kProfession:
      return "pr.code";
    case engine::Dimension::kRegion:
      return "l.region";
    case engine::Dimension::kGrade:
      return "g.code";
    case engine::Dimension::kDepartment:
      return "d.code";
  }
  return "NULL";
}

}  // namespace

Status FillSyntheticWorkforce(Database& db, const SyntheticShape& shape, std::uint64_t seed) {
  Random rng(seed);
  PATHWAY_TRY(db.Execute("PRAGMA cache_size = -1000000"));
  PATHWAY_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(db));
  PATHWAY_TRY(db.Execute("INSERT INTO framework (id, kind) VALUES ('synthetic-career', 'career')"));
  {
    PATHWAY_ASSIGN_OR_RETURN(auto stmt,
                             db.Prepare("INSERT INTO item_ref (id, framework_id, item_id) "
                                        "VALUES (?, 'synthetic-career', ?)"));
    for (int i = 1; i <= shape.items; ++i) {
      stmt.Bind(1, i).Bind(2, fmt::format("item-{:04d}", i));
      PATHWAY_TRY(Run(stmt));
    }
  }
  {
    PATHWAY_ASSIGN_OR_RETURN(
        auto dep, db.Prepare("INSERT INTO department (id, code, name) VALUES (?, ?, ?)"));
    PATHWAY_ASSIGN_OR_RETURN(
        auto unit,
        db.Prepare("INSERT INTO unit (id, code, name, department_id) VALUES (?, ?, ?, ?)"));
    for (int d = 1; d <= shape.departments; ++d) {
      dep.Bind(1, d).Bind(2, fmt::format("D{:02d}", d)).Bind(3, fmt::format("Department {}", d));
      PATHWAY_TRY(Run(dep));
      unit.Bind(1, d).Bind(2, fmt::format("U{:02d}", d)).Bind(3, "Unit").Bind(4, d);
      PATHWAY_TRY(Run(unit));
    }
    PATHWAY_ASSIGN_OR_RETURN(
        auto loc, db.Prepare("INSERT INTO location (id, code, name, region) VALUES (?, ?, ?, ?)"));
    for (int r = 0; r < domain::kRegionCount; ++r) {
      const std::string code(domain::AllRegions()[static_cast<std::size_t>(r)].code);
      loc.Bind(1, r + 1).Bind(2, "L-" + code).Bind(3, "Office").Bind(4, code);
      PATHWAY_TRY(Run(loc));
    }
    PATHWAY_ASSIGN_OR_RETURN(
        auto prof, db.Prepare("INSERT INTO profession (id, code, name) VALUES (?, ?, ?)"));
    PATHWAY_ASSIGN_OR_RETURN(
        auto fam,
        db.Prepare("INSERT INTO job_family (id, profession_id, code, name) VALUES (?, ?, ?, ?)"));
    for (int p = 1; p <= shape.professions; ++p) {
      prof.Bind(1, p).Bind(2, fmt::format("p{:02d}", p)).Bind(3, fmt::format("Profession {}", p));
      PATHWAY_TRY(Run(prof));
      fam.Bind(1, p).Bind(2, p).Bind(3, fmt::format("f{:02d}", p)).Bind(4, "Family");
      PATHWAY_TRY(Run(fam));
    }
  }
  // Ladders of kLadder role levels; role r belongs to profession r % professions.
  const int roles = std::max(1, shape.role_levels / kLadder);
  struct Level {
    int profession;
    int grade_min;
    int grade_max;
  };
  std::vector<Level> levels;  // by role level id - 1
  {
    PATHWAY_ASSIGN_OR_RETURN(
        auto role,
        db.Prepare("INSERT INTO career_role (id, job_family_id, code, name) VALUES (?, ?, ?, ?)"));
    PATHWAY_ASSIGN_OR_RETURN(
        auto rl, db.Prepare("INSERT INTO role_level (id, role_id, code, title, position, "
                            "grade_min, grade_max) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    PATHWAY_ASSIGN_OR_RETURN(auto req,
                             db.Prepare("INSERT INTO role_requirement (role_level_id, item_ref_id, "
                                        "level, weight) VALUES (?, ?, ?, ?)"));
    for (int r = 1; r <= roles; ++r) {
      const int profession = (r - 1) % shape.professions;
      role.Bind(1, r)
          .Bind(2, profession + 1)
          .Bind(3, fmt::format("role-{:04d}", r))
          .Bind(4, "Role");
      PATHWAY_TRY(Run(role));
      const int base = rng.Below(5);
      for (int position = 1; position <= kLadder; ++position) {
        const int id = static_cast<int>(levels.size()) + 1;
        const int gmin = std::min(domain::kGradeCount - 1, base + position - 1);
        const int gmax = std::min(domain::kGradeCount - 1, gmin + 1);
        levels.push_back({profession, gmin, gmax});
        rl.Bind(1, id)
            .Bind(2, r)
            .Bind(3, fmt::format("rl-{:05d}", id))
            .Bind(4, "Level")
            .Bind(5, position)
            .Bind(6, gmin)
            .Bind(7, gmax);
        PATHWAY_TRY(Run(rl));
        std::vector<int> chosen;
        const int wanted = std::min(shape.requirements_per_role_level, shape.items);
        while (static_cast<int>(chosen.size()) < wanted) {
          const int item = rng.Chance(0.3)
                               ? rng.Below(std::min(kSharedItems, shape.items))
                               : PoolItem(profession, rng.Below(kPoolItems), shape.items);
          if (std::find(chosen.begin(), chosen.end(), item) == chosen.end()) chosen.push_back(item);
        }
        for (int item : chosen) {
          req.Bind(1, id)
              .Bind(2, item + 1)
              .Bind(3, std::min(9, position + rng.Below(2)))
              .Bind(4, 1 + rng.Below(10));
          PATHWAY_TRY(Run(req));
        }
      }
    }
  }
  std::vector<std::vector<int>> levels_by_profession(static_cast<std::size_t>(shape.professions));
  for (std::size_t i = 0; i < levels.size(); ++i) {
    levels_by_profession[static_cast<std::size_t>(levels[i].profession)].push_back(
        static_cast<int>(i) + 1);
  }
  {
    PATHWAY_ASSIGN_OR_RETURN(
        auto post,
        db.Prepare("INSERT INTO post (id, external_id, role_level_id, unit_id, location_id, grade, "
                   "clearance, critical) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    PATHWAY_ASSIGN_OR_RETURN(
        auto person,
        db.Prepare(
            "INSERT INTO person (id, external_id, display_name, department, profession, grade, "
            "location_id, post_id, clearance_level, clearance_status, clearance_granted, "
            "start_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '2020-01-01', '2015-06-01')"));
    PATHWAY_ASSIGN_OR_RETURN(
        auto assess,
        db.Prepare("INSERT INTO assessment (person_id, item_ref_id, seq, level, assessor, "
                   "assessed_on, framework_version) VALUES (?, ?, ?, ?, ?, '2024-01-01', 1)"));
    static constexpr std::array<const char*, 4> kClearances{"BPSS", "CTC", "SC", "DV"};
    static constexpr std::array<const char*, 4> kStatuses{"active", "pending", "expired",
                                                          "withdrawn"};
    static constexpr std::array<const char*, 5> kAssessors{"self", "manager", "panel",
                                                           "recruitment", "passport"};
    std::int64_t post_id = 0;
    std::vector<int> items;
    for (std::int64_t id = 1; id <= shape.people; ++id) {
      const int profession = rng.Below(shape.professions);
      const auto& ladder = levels_by_profession[static_cast<std::size_t>(profession)];
      const int role_level =
          ladder[static_cast<std::size_t>(rng.Below(static_cast<int>(ladder.size())))];
      const Level& lv = levels[static_cast<std::size_t>(role_level - 1)];
      const int grade = lv.grade_min + rng.Below(lv.grade_max - lv.grade_min + 1);
      const int department = 1 + rng.Below(shape.departments);
      const int location = 1 + rng.Below(domain::kRegionCount);
      const bool has_post = !(shape.with_unknowns && rng.Chance(0.1));
      if (has_post) {
        ++post_id;
        post.Bind(1, post_id)
            .Bind(2, fmt::format("POST{:07d}", post_id))
            .Bind(3, role_level)
            .Bind(4, department)
            .Bind(5, location)
            .Bind(6, grade)
            .Bind(7, kClearances[static_cast<std::size_t>(rng.Below(4))])
            .Bind(8, rng.Chance(0.05) ? 1 : 0);
        PATHWAY_TRY(Run(post));
      }
      person.Bind(1, id)
          .Bind(2, fmt::format("P{:07d}", id))
          .Bind(3, fmt::format("Person {}", id))
          .Bind(4, fmt::format("D{:02d}", department));
      if (shape.with_unknowns && rng.Chance(0.03)) {
        person.Bind(5, "");
      } else {
        person.Bind(5, fmt::format("p{:02d}", profession + 1));
      }
      if (shape.with_unknowns && rng.Chance(0.03)) {
        person.BindNull(6);
      } else {
        person.Bind(6, grade);
      }
      if (shape.with_unknowns && rng.Chance(0.03)) {
        person.BindNull(7);
      } else {
        person.Bind(7, location);
      }
      if (has_post) {
        person.Bind(8, post_id);
      } else {
        person.BindNull(8);
      }
      if (rng.Chance(0.1)) {
        person.BindNull(9).BindNull(10);
      } else {
        person.Bind(9, kClearances[static_cast<std::size_t>(rng.Below(4))])
            .Bind(10, kStatuses[static_cast<std::size_t>(rng.Chance(0.8) ? 0 : rng.Below(4))]);
      }
      PATHWAY_TRY(Run(person));

      items.clear();
      const int wanted = std::min(shape.items_per_person, shape.items);
      while (static_cast<int>(items.size()) < wanted) {
        const int roll = rng.Below(10);
        const int item = roll < 3   ? rng.Below(std::min(kSharedItems, shape.items))
                         : roll < 8 ? PoolItem(profession, rng.Below(kPoolItems), shape.items)
                                    : rng.Below(shape.items);
        if (std::find(items.begin(), items.end(), item) == items.end()) items.push_back(item);
      }
      std::sort(items.begin(), items.end());
      const int typical = 1 + (grade + 1) / 2;
      for (int item : items) {
        const int rows = rng.Chance(0.2) ? 2 : 1;
        for (int seq = 1; seq <= rows; ++seq) {
          assess.Bind(1, id)
              .Bind(2, item + 1)
              .Bind(3, seq)
              .Bind(4, std::clamp(typical + rng.Below(3) - 1, 1, 6))
              .Bind(5,
                    kAssessors[static_cast<std::size_t>(rng.Chance(0.5) ? 0 : 1 + rng.Below(4))]);
          PATHWAY_TRY(Run(assess));
        }
      }
    }
    // Vacant posts.
    const auto vacant =
        static_cast<std::int64_t>(static_cast<double>(shape.people) * shape.vacant_share);
    for (std::int64_t v = 0; v < vacant; ++v) {
      ++post_id;
      const int role_level = 1 + rng.Below(static_cast<int>(levels.size()));
      const Level& lv = levels[static_cast<std::size_t>(role_level - 1)];
      post.Bind(1, post_id)
          .Bind(2, fmt::format("POST{:07d}", post_id))
          .Bind(3, role_level)
          .Bind(4, 1 + rng.Below(shape.departments))
          .Bind(5, 1 + rng.Below(domain::kRegionCount))
          .Bind(6, lv.grade_min)
          .Bind(7, kClearances[static_cast<std::size_t>(rng.Below(4))])
          .Bind(8, 0);
      PATHWAY_TRY(Run(post));
    }
  }
  PATHWAY_TRY(tx.Commit());
  return domain::Ok{};
}

Result<std::vector<SqlRanked>> SqlMatch(Database& db, const engine::MatchQuery& query,
                                        bool closest_to_ready, LevelSource source) {
  std::vector<Bind> binds;
  std::string sql = "WITH " + RequirementCte(query.role_level, query.requirements, binds);
  sql +=
      ", people AS (SELECT p.id FROM person p WHERE " + PersonFilters(query.filters, binds) + ")";
  sql += source == LevelSource::kLedger
             ? ", cur AS (SELECT a.person_id, a.item_ref_id AS item, a.level, " +
                   std::string(kCurrentLevel) +
                   " FROM people JOIN assessment a ON a.person_id = people.id "
                   "WHERE a.item_ref_id IN (SELECT item FROM req))"
             : ", cur AS (SELECT a.person_id, a.item_ref_id AS item, a.level, 1 AS rn "
               "FROM people JOIN current_level a ON a.person_id = people.id "
               "WHERE a.item_ref_id IN (SELECT item FROM req))";
  sql +=
      ", scored AS (SELECT c.person_id, SUM(r.weight * MIN(c.level, r.need)) AS score, "
      "SUM(MIN(c.level, r.need)) AS capped FROM cur c JOIN req r ON r.item = c.item "
      "WHERE c.rn = 1 GROUP BY c.person_id)"
      // People with none of the items score 0. A UNION ALL rather than `people LEFT
      // JOIN scored`: SQLite plans that join as a scan of `scored` per person, which
      // is quadratic (minutes at 100,000 candidates).
      ", ranked AS (SELECT person_id AS id, score, capped FROM scored UNION ALL "
      "SELECT id, 0, 0 FROM people WHERE id NOT IN (SELECT person_id FROM scored))"
      " SELECT id, score, (SELECT SUM(need) FROM req) - capped AS gap FROM ranked ";
  sql += closest_to_ready ? "WHERE gap > 0 ORDER BY gap, score DESC, id LIMIT ?"
                          : "ORDER BY score DESC, id LIMIT ?";
  binds.emplace_back(std::int64_t{query.k});
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
  BindAll(stmt, binds);
  std::vector<SqlRanked> out;
  while (true) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back({stmt.ColumnInt(0), static_cast<int>(stmt.ColumnInt(1)),
                   static_cast<int>(stmt.ColumnInt(2))});
  }
  return out;
}

Result<std::vector<SqlCell>> SqlCapabilityMap(Database& db, const engine::CapabilityQuery& query,
                                              LevelSource source) {
  std::map<std::pair<std::string, std::string>, SqlCell> cells;
  const std::string rows = PersonDimension(query.rows);
  const std::string cols = PersonDimension(query.columns);
  {
    std::vector<Bind> binds;
    std::string sql = "WITH " + RequirementCte(query.role_level, query.requirements, binds);
    sql += source == LevelSource::kLedger
               ? ", cur AS (SELECT a.person_id, a.item_ref_id AS item, a.level, " +
                     std::string(kCurrentLevel) +
                     " FROM assessment a WHERE a.item_ref_id IN (SELECT item FROM req))"
               : ", cur AS (SELECT a.person_id, a.item_ref_id AS item, a.level, 1 AS rn "
                 "FROM current_level a WHERE a.item_ref_id IN (SELECT item FROM req))";
    sql +=
        ", per AS (SELECT c.person_id, SUM(c.level) AS level_sum, SUM(c.level >= r.need) AS met "
        "FROM cur c JOIN req r ON r.item = c.item WHERE c.rn = 1 GROUP BY c.person_id)"
        " SELECT " +
        rows + ", " + cols +
        ", COUNT(*), "
        "SUM(COALESCE(per.met, 0) = (SELECT COUNT(*) FROM req)), SUM(COALESCE(per.level_sum, 0)) "
        "FROM person p LEFT JOIN location l ON l.id = p.location_id "
        "LEFT JOIN profession pr ON pr.code = p.profession "
        "LEFT JOIN department d ON d.code = p.department LEFT JOIN grade g ON g.rank = p.grade "
        "LEFT JOIN per ON per.person_id = p.id WHERE " +
        rows + " IS NOT NULL AND " + cols + " IS NOT NULL AND " +
        PersonFilters(query.filters, binds) + " GROUP BY 1, 2";
    PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
    BindAll(stmt, binds);
    while (true) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      SqlCell& cell = cells[{stmt.ColumnText(0), stmt.ColumnText(1)}];
      cell.row = stmt.ColumnText(0);
      cell.column = stmt.ColumnText(1);
      cell.headcount = stmt.ColumnInt(2);
      cell.meeting = stmt.ColumnInt(3);
      cell.level_sum = stmt.ColumnInt(4);
    }
  }
  {
    std::vector<Bind> binds;
    std::string sql = "WITH " + RequirementCte(query.role_level, query.requirements, binds);
    sql +=
        ", rl_ok AS (SELECT rr.role_level_id AS id FROM role_requirement rr JOIN req r "
        "ON r.item = rr.item_ref_id AND rr.level >= r.need GROUP BY rr.role_level_id "
        "HAVING COUNT(*) = (SELECT COUNT(*) FROM req))"
        " SELECT " +
        rows + ", " + cols +
        ", "
        "SUM(EXISTS (SELECT 1 FROM person h WHERE h.post_id = po.id)), "
        "SUM(NOT EXISTS (SELECT 1 FROM person h WHERE h.post_id = po.id)) "
        "FROM post po JOIN rl_ok ON rl_ok.id = po.role_level_id "
        "JOIN role_level rl ON rl.id = po.role_level_id JOIN career_role cr ON cr.id = rl.role_id "
        "JOIN job_family jf ON jf.id = cr.job_family_id JOIN profession pr ON pr.id = "
        "jf.profession_id "
        "JOIN unit u ON u.id = po.unit_id JOIN department d ON d.id = u.department_id "
        "JOIN location l ON l.id = po.location_id JOIN grade g ON g.rank = po.grade WHERE 1";
    const engine::Filters& f = query.filters;
    if (!f.professions.empty()) {
      sql += " AND pr.code IN (" + ParameterMarkers(f.professions.size()) + ")";
      for (const auto& p : f.professions) binds.emplace_back(p);
    }
    if (f.grade_min || f.grade_max) {
      sql += " AND po.grade BETWEEN ? AND ?";
      binds.emplace_back(std::int64_t{f.grade_min ? static_cast<int>(*f.grade_min) : 0});
      binds.emplace_back(
          std::int64_t{f.grade_max ? static_cast<int>(*f.grade_max) : domain::kGradeCount - 1});
    }
    if (!f.regions.empty()) {
      sql += " AND l.region IN (" + ParameterMarkers(f.regions.size()) + ")";
      for (const auto& r : f.regions) binds.emplace_back(RegionCode(r));
    }
    if (!f.departments.empty()) {
      sql += " AND d.code IN (" + ParameterMarkers(f.departments.size()) + ")";
      for (const auto& d : f.departments) binds.emplace_back(d);
    }
    sql += " GROUP BY 1, 2";
    PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
    BindAll(stmt, binds);
    while (true) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      SqlCell& cell = cells[{stmt.ColumnText(0), stmt.ColumnText(1)}];
      cell.row = stmt.ColumnText(0);
      cell.column = stmt.ColumnText(1);
      cell.demand_filled = stmt.ColumnInt(2);
      cell.demand_vacant = stmt.ColumnInt(3);
    }
  }
  std::vector<SqlCell> out;
  for (auto& [key, cell] : cells) out.push_back(std::move(cell));
  return out;
}

Status EnsureCurrentLevelTable(Database& db) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto exists,
      db.Prepare(
          "SELECT 1 FROM temp.sqlite_master WHERE type = 'table' AND name = 'current_level'"));
  PATHWAY_ASSIGN_OR_RETURN(bool found, exists.Step());
  if (found) return domain::Ok{};
  return db.Execute(
      "CREATE TEMP TABLE current_level (item_ref_id INTEGER NOT NULL, person_id INTEGER NOT "
      "NULL, level INTEGER NOT NULL, PRIMARY KEY (item_ref_id, person_id)) WITHOUT ROWID;"
      "INSERT INTO current_level SELECT item_ref_id, person_id, level FROM (SELECT "
      "a.item_ref_id, a.person_id, a.level, " +
      std::string(kCurrentLevel) +
      " FROM assessment a) WHERE rn = 1 ORDER BY 1, 2;"
      "CREATE INDEX temp.current_level_person ON current_level (person_id, item_ref_id, level);"
      "ANALYZE temp;");
}

Status EnsureAssessmentItemIndex(Database& db) {
  return db.Execute("CREATE INDEX IF NOT EXISTS bench_assessment_item ON assessment(item_ref_id)");
}

}  // namespace pathway::store
