#include "store/workforce_read.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <variant>

#include <fmt/format.h>

#include "domain/grade.hpp"
#include "domain/vetting.hpp"
#include "domain/workforce.hpp"
#include "store/workforce_change.hpp"

namespace pathway::store {
namespace {

// Values for the `?` parameters of a statement built piece by piece, in order.
class Params {
 public:
  void Add(std::int64_t value) { values_.emplace_back(value); }
  void Add(std::string value) { values_.emplace_back(std::move(value)); }
  // "?, ?, ?" for each value, added in order.
  std::string AddList(const std::vector<std::string>& values) {
    std::string marks;
    for (const auto& value : values) {
      marks += marks.empty() ? "?" : ", ?";
      Add(value);
    }
    return marks;
  }
  // Appends the values to `key`, each tagged with its type and length, so that two
  // different lists of values never append the same text.
  void AppendTo(std::string& key) const {
    for (const auto& value : values_) {
      if (const auto* number = std::get_if<std::int64_t>(&value)) {
        key += fmt::format("\x1fi{}", *number);
      } else {
        const auto& text = std::get<std::string>(value);
        key += fmt::format("\x1fs{}:", text.size());
        key += text;
      }
    }
  }
  // Binds the values from parameter `index` on; answers the next free index.
  int BindTo(Statement& stmt, int index = 1) const {
    for (const auto& value : values_) {
      if (const auto* number = std::get_if<std::int64_t>(&value)) {
        stmt.Bind(index++, *number);
      } else {
        stmt.Bind(index++, std::string_view(std::get<std::string>(value)));
      }
    }
    return index;
  }

 private:
  std::vector<std::variant<std::int64_t, std::string>> values_;
};

std::string GradeCodeOf(const Statement& row, int column) {
  if (row.ColumnIsNull(column)) return {};
  const auto rank = row.ColumnInt(column);
  if (rank < 0 || rank >= domain::kGradeCount) return {};
  return std::string(domain::AllGrades()[static_cast<std::size_t>(rank)].code);
}

// A LIKE pattern that matches `text` anywhere, with LIKE's wildcards escaped ('\').
std::string Contains(const std::string& text) {
  std::string pattern = "%";
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
    pattern += ch;
  }
  return pattern + "%";
}

// Everyone below a manager in the reporting chain, walking down the
// person_line_manager index; the depth bound guards against a cycle in bad data.
constexpr std::string_view kChainCte = R"sql(
WITH RECURSIVE chain(id, depth) AS (
  SELECT id, 1 FROM person WHERE line_manager_id = ?
  UNION ALL
  SELECT p2.id, c.depth + 1 FROM person p2 JOIN chain c ON p2.line_manager_id = c.id
  WHERE c.depth < 64
)
)sql";

// A statement under construction: an optional WITH clause (with its own parameters,
// which come first) and the conditions of its WHERE clause.
struct Query {
  std::string with;
  Params with_params;
  std::vector<std::string> conditions;
  Params where_params;

  std::string Where() const {
    std::string where;
    for (const auto& condition : conditions) {
      where += (where.empty() ? "WHERE " : " AND ") + condition;
    }
    return where;
  }
  int BindTo(Statement& stmt) const { return where_params.BindTo(stmt, with_params.BindTo(stmt)); }

  // Adds the scope as one condition over a person id column and the department and
  // profession expressions; nothing when the scope is everything.
  void AddScope(const Scope& scope, std::string_view person_column,
                std::string_view department_expr, std::string_view profession_expr) {
    if (scope.all) return;
    std::vector<std::string> parts;
    if (scope.self_person_id) {
      parts.push_back(fmt::format("{} = ?", person_column));
      where_params.Add(*scope.self_person_id);
    }
    if (scope.chain_of_person_id) {
      with = std::string(kChainCte);
      with_params.Add(*scope.chain_of_person_id);
      parts.push_back(fmt::format("{} IN (SELECT id FROM chain)", person_column));
    }
    if (!scope.departments.empty()) {
      parts.push_back(
          fmt::format("{} IN ({})", department_expr, where_params.AddList(scope.departments)));
    }
    if (!scope.professions.empty()) {
      parts.push_back(
          fmt::format("{} IN ({})", profession_expr, where_params.AddList(scope.professions)));
    }
    std::string condition;
    for (const auto& part : parts) condition += (condition.empty() ? "" : " OR ") + part;
    conditions.push_back("(" + condition + ")");
    scope_parts = parts.size();
  }

  // How many conditions AddScope joined with OR: with more than one, no index gives the
  // rows in a list's order.
  std::size_t scope_parts = 0;
};

std::string Direction(SortOrder order) { return order == SortOrder::kAscending ? "ASC" : "DESC"; }

template <typename Read>
Status ForEachRow(Statement& stmt, Read read) {
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return domain::Ok{};
    read(stmt);
  }
}

// The COUNT(*) of `sql`; with `totals`, the one counted earlier in the same workforce
// generation, if any.
Result<std::int64_t> CountOf(Database& db, const std::string& sql, const Query& query,
                             ListTotals* totals = nullptr) {
  std::string key;
  std::int64_t generation = 0;
  if (totals) {
    // Read before counting: a count is then never kept under a generation older than
    // the rows it counted, only (after a write in between) under one newer.
    PATHWAY_ASSIGN_OR_RETURN(generation, WorkforceGeneration(db));
    key = sql;
    query.with_params.AppendTo(key);
    key += '\x1e';
    query.where_params.AppendTo(key);
    if (const auto kept = totals->Find(generation, key)) return *kept;
  }
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
  query.BindTo(stmt);
  PATHWAY_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  const std::int64_t count = has_row ? stmt.ColumnInt(0) : 0;
  if (totals) totals->Keep(generation, std::move(key), count);
  return count;
}

// ';'-separated codes (which hold no ';') in code order. Sorted here rather than by an
// ORDER BY in the per-person subquery, which opened a sorter for every row listed.
std::string InCodeOrder(const std::string& codes) {
  if (codes.find(';') == std::string::npos) return codes;
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    const auto end = codes.find(';', start);
    parts.push_back(std::string_view(codes).substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  std::sort(parts.begin(), parts.end());
  std::string out;
  out.reserve(codes.size());
  for (const auto part : parts) {
    if (!out.empty()) out += ';';
    out += part;
  }
  return out;
}

// Reads the columns of PersonColumns(names, file_columns, manager_names) into `person`,
// a new row; those it selects as '' are not read.
void ReadPersonRowInto(const Statement& row, PersonRow& person, bool names = true,
                       bool file_columns = true, bool manager_names = true) {
  person.id = row.ColumnInt(0);
  person.external_id = row.ColumnText(1);
  person.name = row.ColumnText(2);
  person.grade = GradeCodeOf(row, 3);
  person.department = row.ColumnText(4);
  if (names) person.department_name = row.ColumnText(5);
  person.profession = row.ColumnText(6);
  if (names) person.profession_name = row.ColumnText(7);
  person.location_name = row.ColumnText(8);
  person.region = row.ColumnText(9);
  // The region table holds domain::AllRegions, fixed at migration (a store test checks).
  for (const auto& region : domain::AllRegions()) {
    if (region.code == person.region) {
      person.region_name = std::string(region.name);
      break;
    }
  }
  person.clearance = row.ColumnText(11);
  person.start_date = row.ColumnText(12);
  if (!row.ColumnIsNull(13)) person.line_manager_id = row.ColumnInt(13);
  if (manager_names) person.line_manager_name = row.ColumnText(14);
  if (!file_columns) return;
  person.location = row.ColumnText(15);
  person.other_professions = InCodeOrder(row.ColumnText(16));
  person.post = row.ColumnText(17);
  person.line_manager_external_id = row.ColumnText(18);
  person.clearance_status = row.ColumnText(19);
  person.clearance_granted = row.ColumnText(20);
  person.clearance_review_due = row.ColumnText(21);
}

PersonRow ReadPersonRow(const Statement& row) {
  PersonRow person;
  ReadPersonRowInto(row, person);
  return person;
}

// Clearance levels in order of depth, for sorting.
constexpr std::string_view kClearanceOrder =
    "CASE po.clearance WHEN 'BPSS' THEN 1 WHEN 'CTC' THEN 2 WHEN 'SC' THEN 3 WHEN 'DV' THEN 4 "
    "ELSE 0 END";

// How many columns PersonColumns selects (ReadPersonRow reads them all).
constexpr int kPersonRowColumns = 22;

// {0} and {1}: the names of the person's department and profession (or ''); {2}: what
// only a people file names them by (kFileColumnsSql; or '' for each of its columns); {3}:
// the line manager's name (or '').
constexpr std::string_view kPersonColumnsPattern = R"sql(
SELECT p.id, p.external_id, p.display_name, p.grade, p.department, {0},
       p.profession, {1}, COALESCE(l.name, ''), COALESCE(l.region, ''),
       '', COALESCE(p.clearance_level, ''), COALESCE(p.start_date, ''),
       p.line_manager_id, {3},
       {2})sql";

// The columns 15 to 21 of kPersonColumnsPattern, in PersonRow's order: the location's
// code, the other professions, the post, the manager's HR reference and the clearance's
// status and dates. A list page and the API show none of them; the first two subqueries
// cost a lookup each per row.
constexpr std::string_view kFileColumnsSql = R"sql(COALESCE(l.code, ''),
       COALESCE((SELECT group_concat(op.code, ';') FROM person_profession pp
                 JOIN profession op ON op.id = pp.profession_id
                 WHERE pp.person_id = p.id AND op.code <> p.profession), ''),
       COALESCE((SELECT external_id FROM post WHERE post.id = p.post_id), ''),
       COALESCE(lm.external_id, ''), COALESCE(p.clearance_status, ''),
       COALESCE(p.clearance_granted, ''), COALESCE(p.clearance_review_due, ''))sql";

// The columns ReadPersonRow reads, with or without the names, the file's own columns and
// the line managers' names (PeopleQuery::names, ::file_columns, ::manager_names).
std::string PersonColumns(const PeopleQuery& query) {
  return fmt::format(kPersonColumnsPattern, query.names ? "COALESCE(d.name, '')" : "''",
                     query.names ? "COALESCE(pr.name, '')" : "''",
                     query.file_columns ? kFileColumnsSql : "'', '', '', '', '', '', ''",
                     query.manager_names ? "COALESCE(lm.display_name, '')" : "''");
}

// The tables PersonColumns reads besides person p: the department and profession only
// for their names, the region (whose names are fixed: ReadPersonRow fills them from
// domain::AllRegions) only for the order of the rows, and the line manager for their
// name, their HR reference (a file's column) or the order.
std::string PersonLookups(const PeopleQuery& query) {
  std::string joins;
  if (query.names) joins += "\nLEFT JOIN department d ON d.code = p.department";
  if (query.names || query.sort == PeopleSort::kProfession) {
    joins += "\nLEFT JOIN profession pr ON pr.code = p.profession";
  }
  joins += "\nLEFT JOIN location l ON l.id = p.location_id";
  if (query.sort == PeopleSort::kRegion) joins += "\nLEFT JOIN region r ON r.code = l.region";
  if (query.manager_names || query.file_columns || query.sort == PeopleSort::kLineManager) {
    joins += "\nLEFT JOIN person lm ON lm.id = p.line_manager_id";
  }
  return joins;
}

// The scope without its own-record part when a department or profession of the scope
// already holds that record: the same people, with a condition that an index can walk in
// the order of the list (`p.id = ? OR p.department IN (...)` cannot be, and sorts the
// whole department).
Result<Scope> WithoutRedundantSelf(Database& db, Scope scope) {
  if (scope.all || !scope.self_person_id ||
      (scope.departments.empty() && scope.professions.empty())) {
    return scope;
  }
  PATHWAY_ASSIGN_OR_RETURN(auto self, FindPersonScopeKeys(db, *scope.self_person_id));
  if (!self) return scope;
  const auto holds = [](const std::vector<std::string>& codes, const std::string& code) {
    return std::find(codes.begin(), codes.end(), code) != codes.end();
  };
  if (holds(scope.departments, self->department) || holds(scope.professions, self->profession)) {
    scope.self_person_id.reset();
  }
  return scope;
}

}  // namespace

// ---------------------------------------------------------------------------------
// People

std::optional<std::int64_t> ListTotals::Find(std::int64_t generation,
                                             const std::string& key) const {
  std::lock_guard lock(mutex_);
  if (generation != generation_) return std::nullopt;
  const auto found = totals_.find(key);
  if (found == totals_.end()) return std::nullopt;
  return found->second;
}

void ListTotals::Keep(std::int64_t generation, std::string key, std::int64_t total) {
  std::lock_guard lock(mutex_);
  if (generation < generation_) return;
  if (generation > generation_ || totals_.size() >= kMaxListTotals) {
    totals_.clear();
    generation_ = generation;
  }
  totals_.insert_or_assign(std::move(key), total);
}

Result<PeoplePage> ListPeople(Database& db, const PeopleQuery& query, ListTotals* totals) {
  PeoplePage page;
  if (query.scope.Empty()) return page;
  PATHWAY_ASSIGN_OR_RETURN(const Scope scope, WithoutRedundantSelf(db, query.scope));
  Query q;
  q.AddScope(scope, "p.id", "p.department", "p.profession");
  const PeopleFilter& f = query.filter;
  if (!f.text.empty()) {
    q.conditions.push_back("(p.display_name LIKE ? ESCAPE '\\' OR p.external_id = ?)");
    q.where_params.Add(Contains(f.text));
    q.where_params.Add(f.text);
  }
  if (!f.department.empty()) {
    q.conditions.push_back("p.department = ?");
    q.where_params.Add(f.department);
  }
  if (!f.profession.empty()) {
    q.conditions.push_back(
        "(p.profession = ? OR p.id IN (SELECT pp.person_id FROM person_profession pp JOIN "
        "profession pf ON pf.id = pp.profession_id WHERE pf.code = ?))");
    q.where_params.Add(f.profession);
    q.where_params.Add(f.profession);
  }
  if (f.grade_min) {
    q.conditions.push_back("p.grade >= ?");
    q.where_params.Add(static_cast<std::int64_t>(*f.grade_min));
  }
  if (f.grade_max) {
    q.conditions.push_back("p.grade <= ?");
    q.where_params.Add(static_cast<std::int64_t>(*f.grade_max));
  }
  if (!f.region.empty()) {
    q.conditions.push_back("p.location_id IN (SELECT id FROM location WHERE region = ?)");
    q.where_params.Add(f.region);
  }
  if (!f.clearance.empty()) {
    q.conditions.push_back("p.clearance_level = ?");
    q.where_params.Add(f.clearance);
  }
  if (f.manager_id) {
    q.conditions.push_back("p.line_manager_id = ?");
    q.where_params.Add(*f.manager_id);
  }
  const std::string dir = Direction(query.order);
  std::string order;
  std::string_view order_joins;  // the lookups the order reads, besides person p
  switch (query.sort) {
    case PeopleSort::kName:
      order = fmt::format("p.display_name {0}, p.id {0}", dir);
      break;
    case PeopleSort::kGrade:
      order = fmt::format("p.grade {0}, p.display_name {0}, p.id {0}", dir);
      break;
    case PeopleSort::kDepartment:
      order = fmt::format("p.department {0}, p.display_name {0}, p.id {0}", dir);
      break;
    case PeopleSort::kStartDate:
      order = fmt::format("p.start_date {0}, p.display_name {0}, p.id {0}", dir);
      break;
    case PeopleSort::kProfession:
      order = fmt::format("pr.name {0}, p.display_name {0}, p.id {0}", dir);
      order_joins = "\nLEFT JOIN profession pr ON pr.code = p.profession";
      break;
    case PeopleSort::kRegion:
      order = fmt::format("r.name {0}, p.display_name {0}, p.id {0}", dir);
      order_joins =
          "\nLEFT JOIN location l ON l.id = p.location_id"
          "\nLEFT JOIN region r ON r.code = l.region";
      break;
    case PeopleSort::kLineManager:
      order = fmt::format("lm.display_name {0}, p.display_name {0}, p.id {0}", dir);
      order_joins = "\nLEFT JOIN person lm ON lm.id = p.line_manager_id";
      break;
  }
  const std::string where = q.Where();
  std::string sql;
  if (q.scope_parts > 1) {
    // A scope of the form `x OR y` is sorted whole, no index giving its order. The page's
    // ids come first, sorted with only the lookups the order needs; the other lookups and
    // the per-person subqueries then run for the page's rows, not for every row sorted.
    const std::string page_cte = fmt::format(
        "page(id) AS MATERIALIZED (\nSELECT p.id FROM person p{}\n{}\nORDER BY {}\n"
        "LIMIT ? OFFSET ?)\n",
        order_joins, where, order);
    sql =
        fmt::format("{}{}\nFROM page JOIN person p ON p.id = page.id{}\nORDER BY {}",
                    q.with.empty() ? "WITH " + page_cte : fmt::format("{},\n{}", q.with, page_cte),
                    PersonColumns(query), PersonLookups(query), order);
  } else {
    sql = fmt::format("{}{}\nFROM person p{}\n{}\nORDER BY {}\nLIMIT ? OFFSET ?", q.with,
                      PersonColumns(query), PersonLookups(query), where, order);
  }
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
  const int next = q.BindTo(stmt);
  stmt.Bind(next, static_cast<std::int64_t>(query.limit)).Bind(next + 1, query.offset);
  page.rows.reserve(static_cast<std::size_t>(std::clamp(query.limit, 0, 1000)));
  PATHWAY_TRY(ForEachRow(stmt, [&](const Statement& row) {
    // Filled where it stays: a PersonRow is some twenty strings to move.
    ReadPersonRowInto(row, page.rows.emplace_back(), query.names, query.file_columns,
                      query.manager_names);
  }));
  PATHWAY_ASSIGN_OR_RETURN(
      page.total,
      CountOf(db, fmt::format("{}SELECT COUNT(*) FROM person p {}", q.with, where), q, totals));
  return page;
}

Result<std::optional<PersonScopeKeys>> FindPersonScopeKeys(Database& db, std::int64_t id) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt,
                           db.Prepare("SELECT department, profession FROM person WHERE id = ?"));
  stmt.Bind(1, id);
  PATHWAY_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return std::optional<PersonScopeKeys>{};
  return std::optional<PersonScopeKeys>(PersonScopeKeys{stmt.ColumnText(0), stmt.ColumnText(1)});
}

Result<std::optional<PersonDetail>> FindPersonDetail(Database& db, std::int64_t id) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(fmt::format(R"sql({},
       COALESCE(u.code, ''), COALESCE(u.name, ''), COALESCE(l.code, ''),
       COALESCE(po.external_id, ''), COALESCE(rl.code, ''), COALESCE(rl.title, ''),
       COALESCE(cr.name, ''), COALESCE(po.clearance, ''), COALESCE(po.critical, 0),
       COALESCE(p.clearance_status, ''), COALESCE(p.clearance_granted, ''),
       COALESCE(p.clearance_review_due, ''),
       mg.id, mg.external_id, mg.display_name, mg.grade
FROM person p{}
LEFT JOIN post po ON po.id = p.post_id
LEFT JOIN unit u ON u.id = po.unit_id
LEFT JOIN role_level rl ON rl.id = po.role_level_id
LEFT JOIN career_role cr ON cr.id = rl.role_id
LEFT JOIN person mg ON mg.id = p.line_manager_id
WHERE p.id = ?)sql",
                                                             PersonColumns(PeopleQuery{}),
                                                             PersonLookups(PeopleQuery{}))));
  stmt.Bind(1, id);
  PATHWAY_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return std::optional<PersonDetail>{};
  PersonDetail detail;
  detail.person = ReadPersonRow(stmt);
  // The detail's own columns follow PersonColumns's (kPersonRowColumns of them).
  constexpr int kDetail = kPersonRowColumns;
  detail.unit = stmt.ColumnText(kDetail + 0);
  detail.unit_name = stmt.ColumnText(kDetail + 1);
  detail.location = stmt.ColumnText(kDetail + 2);
  detail.post = stmt.ColumnText(kDetail + 3);
  detail.post_role_level = stmt.ColumnText(kDetail + 4);
  detail.post_role_level_title = stmt.ColumnText(kDetail + 5);
  detail.post_role = stmt.ColumnText(kDetail + 6);
  detail.post_clearance = stmt.ColumnText(kDetail + 7);
  detail.post_critical = stmt.ColumnInt(kDetail + 8) != 0;
  detail.clearance_status = stmt.ColumnText(kDetail + 9);
  detail.clearance_granted = stmt.ColumnText(kDetail + 10);
  detail.clearance_review_due = stmt.ColumnText(kDetail + 11);
  if (!stmt.ColumnIsNull(kDetail + 12)) {
    detail.manager = PersonLink{stmt.ColumnInt(kDetail + 12), stmt.ColumnText(kDetail + 13),
                                stmt.ColumnText(kDetail + 14), GradeCodeOf(stmt, 30)};
  }

  PATHWAY_ASSIGN_OR_RETURN(auto others, db.Prepare(R"sql(
SELECT pr.code, pr.name FROM person_profession pp JOIN profession pr ON pr.id = pp.profession_id
WHERE pp.person_id = ? ORDER BY pr.name)sql"));
  others.Bind(1, id);
  PATHWAY_TRY(ForEachRow(others, [&](const Statement& row) {
    detail.other_professions.emplace_back(row.ColumnText(0), row.ColumnText(1));
  }));

  // Bounded: a record with more direct reports than this is a data problem, not a team.
  PATHWAY_ASSIGN_OR_RETURN(auto reports, db.Prepare(R"sql(
SELECT id, external_id, display_name, grade FROM person WHERE line_manager_id = ?
ORDER BY display_name, id LIMIT 500)sql"));
  reports.Bind(1, id);
  PATHWAY_TRY(ForEachRow(reports, [&](const Statement& row) {
    detail.direct_reports.push_back(
        {row.ColumnInt(0), row.ColumnText(1), row.ColumnText(2), GradeCodeOf(row, 3)});
  }));
  return std::optional<PersonDetail>(std::move(detail));
}

Result<std::int64_t> CountReportingChain(Database& db, std::int64_t manager_id) {
  Query q;
  q.with = std::string(kChainCte);
  q.with_params.Add(manager_id);
  return CountOf(db, q.with + "SELECT COUNT(*) FROM chain", q);
}

// ---------------------------------------------------------------------------------
// Posts

namespace {

// The joins a post query needs, so that counting 500,000 posts does not join what no
// condition reads.
struct PostJoins {
  bool role_level = false;
  bool profession = false;
  bool department = false;
  bool region = false;
  bool holder = false;

  std::string Sql() const {
    std::string sql = "FROM post po";
    if (role_level || profession) sql += " JOIN role_level rl ON rl.id = po.role_level_id";
    if (profession) {
      sql +=
          " JOIN career_role cr ON cr.id = rl.role_id"
          " JOIN job_family jf ON jf.id = cr.job_family_id"
          " JOIN profession pr ON pr.id = jf.profession_id";
    }
    if (department) {
      sql +=
          " JOIN unit u ON u.id = po.unit_id"
          " JOIN department d ON d.id = u.department_id";
    }
    if (region) {
      sql +=
          " JOIN location l ON l.id = po.location_id"
          " JOIN region r ON r.code = l.region";
    }
    if (holder) sql += " LEFT JOIN person h ON h.post_id = po.id";
    return sql;
  }
};

}  // namespace

Result<PostPage> ListPosts(Database& db, const PostQuery& query, ListTotals* totals) {
  PostPage page;
  if (query.scope.Empty()) return page;
  Query q;
  PostJoins joins;
  const Scope& scope = query.scope;
  if (!scope.all) {
    joins.holder = scope.self_person_id || scope.chain_of_person_id;
    joins.department = !scope.departments.empty();
    joins.profession = !scope.professions.empty();
  }
  q.AddScope(scope, "h.id", "d.code", "pr.code");
  const PostFilter& f = query.filter;
  if (!f.text.empty()) {
    joins.role_level = true;
    q.conditions.push_back("(rl.title LIKE ? ESCAPE '\\' OR po.external_id = ?)");
    q.where_params.Add(Contains(f.text));
    q.where_params.Add(f.text);
  }
  if (!f.department.empty()) {
    joins.department = true;
    q.conditions.push_back("d.code = ?");
    q.where_params.Add(f.department);
  }
  if (!f.profession.empty()) {
    joins.profession = true;
    q.conditions.push_back("pr.code = ?");
    q.where_params.Add(f.profession);
  }
  if (f.grade_min) {
    q.conditions.push_back("po.grade >= ?");
    q.where_params.Add(static_cast<std::int64_t>(*f.grade_min));
  }
  if (f.grade_max) {
    q.conditions.push_back("po.grade <= ?");
    q.where_params.Add(static_cast<std::int64_t>(*f.grade_max));
  }
  if (!f.region.empty()) {
    q.conditions.push_back("po.location_id IN (SELECT id FROM location WHERE region = ?)");
    q.where_params.Add(f.region);
  }
  if (!f.clearance.empty()) {
    q.conditions.push_back("po.clearance = ?");
    q.where_params.Add(f.clearance);
  }
  if (f.critical) {
    q.conditions.push_back(*f.critical ? "po.critical = 1" : "po.critical = 0");
  }
  if (f.filled) {
    joins.holder = true;
    q.conditions.push_back(*f.filled ? "h.id IS NOT NULL" : "h.id IS NULL");
  }
  const std::string where = q.Where();
  PATHWAY_ASSIGN_OR_RETURN(
      page.total,
      CountOf(db, fmt::format("{}SELECT COUNT(*) {} {}", q.with, joins.Sql(), where), q, totals));

  const std::string dir = Direction(query.order);
  std::string order;
  switch (query.sort) {
    case PostSort::kReference:
      order = fmt::format("po.external_id {0}", dir);
      break;
    case PostSort::kGrade:
      order = fmt::format("po.grade {0}, po.external_id {0}", dir);
      break;
    case PostSort::kRole:
      order = fmt::format("rl.title {0}, po.external_id {0}", dir);
      break;
    case PostSort::kDepartment:
      order = fmt::format("d.name {0}, po.external_id {0}", dir);
      break;
    case PostSort::kRegion:
      order = fmt::format("r.name {0}, po.external_id {0}", dir);
      break;
    case PostSort::kClearance:
      order = fmt::format("{1} {0}, po.external_id {0}", dir, kClearanceOrder);
      break;
    case PostSort::kStatus:
      order = fmt::format("(h.id IS NULL) {0}, po.external_id {0}", dir);
      break;
    case PostSort::kHolder:
      order = fmt::format("h.display_name {0}, po.external_id {0}", dir);
      break;
  }
  PostJoins all{true, true, true, true, true};
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(fmt::format(R"sql({}
SELECT po.id, po.external_id, rl.code, rl.title, cr.name, pr.code, pr.name, d.code, d.name,
       u.name, l.name, l.region, r.name, po.grade, po.clearance, po.critical, h.id,
       COALESCE(h.display_name, ''), COALESCE(h.clearance_level, ''), cr.code
{} {}
ORDER BY {}
LIMIT ? OFFSET ?)sql",
                                                             q.with, all.Sql(), where, order)));
  const int next = q.BindTo(stmt);
  stmt.Bind(next, static_cast<std::int64_t>(query.limit)).Bind(next + 1, query.offset);
  PATHWAY_TRY(ForEachRow(stmt, [&](const Statement& row) {
    PostRow post;
    post.id = row.ColumnInt(0);
    post.external_id = row.ColumnText(1);
    post.role_level = row.ColumnText(2);
    post.role_level_title = row.ColumnText(3);
    post.role = row.ColumnText(4);
    post.profession = row.ColumnText(5);
    post.profession_name = row.ColumnText(6);
    post.department = row.ColumnText(7);
    post.department_name = row.ColumnText(8);
    post.unit_name = row.ColumnText(9);
    post.location_name = row.ColumnText(10);
    post.region = row.ColumnText(11);
    post.region_name = row.ColumnText(12);
    post.grade = GradeCodeOf(row, 13);
    post.clearance = row.ColumnText(14);
    post.critical = row.ColumnInt(15) != 0;
    if (!row.ColumnIsNull(16)) post.holder_id = row.ColumnInt(16);
    post.holder_name = row.ColumnText(17);
    post.holder_clearance = row.ColumnText(18);
    post.role_code = row.ColumnText(19);
    if (post.holder_id) {
      const auto needed = domain::ParseClearance(post.clearance);
      const auto held = domain::ParseClearance(post.holder_clearance);
      post.holder_below_clearance =
          needed && (!held || domain::ClearanceRank(*held) < domain::ClearanceRank(*needed));
    }
    page.rows.push_back(std::move(post));
  }));
  return page;
}

// ---------------------------------------------------------------------------------
// Professions

namespace {

constexpr std::string_view kProfessionSummary = R"sql(
SELECT pr.code, pr.name, pr.description,
       (SELECT COUNT(*) FROM person WHERE profession = pr.code),
       (SELECT COUNT(*) FROM career_role cr JOIN job_family jf ON jf.id = cr.job_family_id
        WHERE jf.profession_id = pr.id),
       (SELECT COUNT(*) FROM role_level rl JOIN career_role cr ON cr.id = rl.role_id
        JOIN job_family jf ON jf.id = cr.job_family_id WHERE jf.profession_id = pr.id),
       pr.id, pr.induction, COALESCE(pr.career_framework_id, '')
FROM profession pr)sql";

ProfessionSummary ReadProfessionSummary(const Statement& row) {
  return {row.ColumnText(0), row.ColumnText(1), row.ColumnText(2),
          row.ColumnInt(3),  row.ColumnInt(4),  row.ColumnInt(5)};
}

// The role levels of a profession (`?1`), or of one of its roles (`?2`, '' for all), as a
// CTE named `levels`.
constexpr std::string_view kLevelsOfProfession = R"sql(
WITH levels AS (
  SELECT rl.id, rl.role_id, rl.grade_min, rl.grade_max FROM role_level rl
  JOIN career_role cr ON cr.id = rl.role_id JOIN job_family jf ON jf.id = cr.job_family_id
  WHERE jf.profession_id = ?1 AND (?2 = '' OR cr.code = ?2)
)
)sql";

struct LateralPair {
  std::int64_t from = 0;
  std::int64_t to = 0;
  int shared = 0;
};

// Lateral moves out of (`outgoing`) or into the profession's levels: another role's level
// whose grade range overlaps and that needs at least half of the moving-from level's
// required items. Uses role_requirement's primary key and its index by item.
Result<std::vector<LateralPair>> LateralMoves(Database& db, std::int64_t profession_id,
                                              const std::string& role, bool outgoing) {
  const std::string sql = outgoing ? fmt::format(R"sql({}
SELECT s.id, t.id, COUNT(*) AS shared FROM levels s
JOIN role_requirement a ON a.role_level_id = s.id
JOIN role_requirement b ON b.item_ref_id = a.item_ref_id AND b.role_level_id <> s.id
JOIN role_level t ON t.id = b.role_level_id
WHERE t.role_id <> s.role_id AND t.grade_min <= s.grade_max AND t.grade_max >= s.grade_min
GROUP BY s.id, t.id
HAVING 2 * COUNT(*) >= (SELECT COUNT(*) FROM role_requirement x WHERE x.role_level_id = s.id))sql",
                                                 kLevelsOfProfession)
                                   : fmt::format(R"sql({}
SELECT s.id, t.id, COUNT(*) AS shared FROM levels t
JOIN role_requirement b ON b.role_level_id = t.id
JOIN role_requirement a ON a.item_ref_id = b.item_ref_id AND a.role_level_id <> t.id
JOIN role_level s ON s.id = a.role_level_id
WHERE t.role_id <> s.role_id AND t.grade_min <= s.grade_max AND t.grade_max >= s.grade_min
GROUP BY s.id, t.id
HAVING 2 * COUNT(*) >= (SELECT COUNT(*) FROM role_requirement x WHERE x.role_level_id = s.id))sql",
                                                 kLevelsOfProfession);
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
  stmt.Bind(1, profession_id).Bind(2, role);
  std::vector<LateralPair> pairs;
  PATHWAY_TRY(ForEachRow(stmt, [&](const Statement& row) {
    pairs.push_back({row.ColumnInt(0), row.ColumnInt(1), static_cast<int>(row.ColumnInt(2))});
  }));
  return pairs;
}

struct LevelInfo {
  std::string code, title, role, role_code, profession, profession_name, grade_min, grade_max;
  std::int64_t role_id = 0;
  int position = 0;
};

Result<std::map<std::int64_t, LevelInfo>> LevelInfos(Database& db,
                                                     const std::set<std::int64_t>& ids) {
  std::map<std::int64_t, LevelInfo> infos;
  if (ids.empty()) return infos;
  std::string list;
  for (auto id : ids) list += (list.empty() ? "" : ",") + std::to_string(id);
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(fmt::format(R"sql(
SELECT rl.id, rl.code, rl.title, cr.name, cr.code, pr.code, pr.name, rl.grade_min,
       rl.grade_max, rl.role_id, rl.position
FROM role_level rl JOIN career_role cr ON cr.id = rl.role_id
JOIN job_family jf ON jf.id = cr.job_family_id JOIN profession pr ON pr.id = jf.profession_id
WHERE rl.id IN ({}))sql",
                                                             list)));
  PATHWAY_TRY(ForEachRow(stmt, [&](const Statement& row) {
    infos[row.ColumnInt(0)] = {row.ColumnText(1),   row.ColumnText(2),
                               row.ColumnText(3),   row.ColumnText(4),
                               row.ColumnText(5),   row.ColumnText(6),
                               GradeCodeOf(row, 7), GradeCodeOf(row, 8),
                               row.ColumnInt(9),    static_cast<int>(row.ColumnInt(10))};
  }));
  return infos;
}

RoleMove MoveTo(const LevelInfo& info, RoleMove::Kind kind, int shared) {
  RoleMove move;
  move.kind = kind;
  move.role_level = info.code;
  move.title = info.title;
  move.role = info.role;
  move.role_code = info.role_code;
  move.profession = info.profession;
  move.profession_name = info.profession_name;
  move.grade_min = info.grade_min;
  move.grade_max = info.grade_max;
  move.shared_items = shared;
  return move;
}

constexpr std::size_t kMaxLateralMoves = 10;

}  // namespace

Result<std::vector<ProfessionSummary>> ListProfessions(Database& db) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt,
                           db.Prepare(std::string(kProfessionSummary) + " ORDER BY pr.name"));
  std::vector<ProfessionSummary> list;
  PATHWAY_TRY(
      ForEachRow(stmt, [&](const Statement& row) { list.push_back(ReadProfessionSummary(row)); }));
  return list;
}

Result<std::optional<ProfessionDetail>> FindProfession(Database& db, const std::string& code,
                                                       const ProfessionParts& parts) {
  PATHWAY_ASSIGN_OR_RETURN(auto head,
                           db.Prepare(std::string(kProfessionSummary) + " WHERE pr.code = ?"));
  head.Bind(1, code);
  PATHWAY_ASSIGN_OR_RETURN(bool found, head.Step());
  if (!found) return std::optional<ProfessionDetail>{};
  ProfessionDetail detail;
  detail.summary = ReadProfessionSummary(head);
  const std::int64_t profession_id = head.ColumnInt(6);
  detail.induction = head.ColumnText(7);
  detail.career_framework_id = head.ColumnText(8);

  if (!detail.career_framework_id.empty()) {
    PATHWAY_ASSIGN_OR_RETURN(auto title, db.Prepare(R"sql(
SELECT title FROM framework_version WHERE framework_id = ? AND status = 'published'
ORDER BY version DESC LIMIT 1)sql"));
    title.Bind(1, detail.career_framework_id);
    PATHWAY_ASSIGN_OR_RETURN(bool has_title, title.Step());
    if (has_title) detail.career_framework_title = title.ColumnText(0);
  }

  // The ladder: job families, roles, levels. Families and roles without levels are kept.
  PATHWAY_ASSIGN_OR_RETURN(auto ladder, db.Prepare(R"sql(
SELECT jf.code, jf.name, cr.code, cr.name, cr.description, rl.id, rl.code, rl.title,
       rl.position, rl.grade_min, rl.grade_max,
       (SELECT COUNT(*) FROM post WHERE role_level_id = rl.id)
FROM job_family jf
LEFT JOIN career_role cr ON cr.job_family_id = jf.id
LEFT JOIN role_level rl ON rl.role_id = cr.id
WHERE jf.profession_id = ?1 AND (?2 = '' OR cr.code = ?2)
ORDER BY jf.name, jf.code, cr.name, cr.code, rl.position)sql"));
  ladder.Bind(1, profession_id).Bind(2, parts.role);
  PATHWAY_TRY(ForEachRow(ladder, [&](const Statement& row) {
    const std::string family = row.ColumnText(0);
    if (detail.job_families.empty() || detail.job_families.back().code != family) {
      detail.job_families.push_back({family, row.ColumnText(1), {}});
    }
    auto& roles = detail.job_families.back().roles;
    if (row.ColumnIsNull(2)) return;
    const std::string role = row.ColumnText(2);
    if (roles.empty() || roles.back().code != role) {
      roles.push_back({role, row.ColumnText(3), row.ColumnText(4), {}});
    }
    if (row.ColumnIsNull(5)) return;
    RoleLevelView level;
    level.code = row.ColumnText(6);
    level.title = row.ColumnText(7);
    level.position = static_cast<int>(row.ColumnInt(8));
    level.grade_min = GradeCodeOf(row, 9);
    level.grade_max = GradeCodeOf(row, 10);
    level.posts = row.ColumnInt(11);
    roles.back().levels.push_back(std::move(level));
  }));
  PATHWAY_ASSIGN_OR_RETURN(auto contacts, db.Prepare(R"sql(
SELECT pc.kind, p.id, p.display_name, COALESCE(d.code, ''), COALESCE(d.name, '')
FROM profession_contact pc
JOIN person p ON p.id = pc.person_id
LEFT JOIN department d ON d.id = pc.department_id
WHERE pc.profession_id = ?
ORDER BY pc.kind = 'head_of_profession' DESC, d.name, p.display_name)sql"));
  contacts.Bind(1, profession_id);
  PATHWAY_TRY(ForEachRow(contacts, [&](const Statement& row) {
    detail.community.push_back({row.ColumnText(0), row.ColumnInt(1), row.ColumnText(2),
                                row.ColumnText(3), row.ColumnText(4)});
  }));

  if (!parts.level_details) return std::optional<ProfessionDetail>(std::move(detail));

  // Pointers only once the vectors have stopped growing.
  std::map<std::string, RoleLevelView*> by_code;
  for (auto& family : detail.job_families) {
    for (auto& role : family.roles) {
      for (auto& level : role.levels) by_code[level.code] = &level;
    }
  }

  PATHWAY_ASSIGN_OR_RETURN(auto requirements, db.Prepare(R"sql(
SELECT rl.code, ir.item_id, ir.framework_id, rr.level, rr.weight,
       COALESCE((SELECT fi.title FROM fw_item fi
                 JOIN framework_version fv ON fv.framework_id = fi.framework_id
                                          AND fv.version = fi.version
                 WHERE fi.id = ir.item_id AND fi.framework_id = ir.framework_id
                   AND fv.status = 'published'
                 ORDER BY fi.version DESC LIMIT 1), '')
FROM role_requirement rr
JOIN item_ref ir ON ir.id = rr.item_ref_id
JOIN role_level rl ON rl.id = rr.role_level_id
JOIN career_role cr ON cr.id = rl.role_id
JOIN job_family jf ON jf.id = cr.job_family_id
WHERE jf.profession_id = ?1 AND (?2 = '' OR cr.code = ?2))sql"));
  requirements.Bind(1, profession_id).Bind(2, parts.role);
  PATHWAY_TRY(ForEachRow(requirements, [&](const Statement& row) {
    const auto it = by_code.find(row.ColumnText(0));
    if (it == by_code.end()) return;
    it->second->requirements.push_back({row.ColumnText(1), row.ColumnText(5), row.ColumnText(2),
                                        static_cast<int>(row.ColumnInt(3)),
                                        static_cast<int>(row.ColumnInt(4))});
  }));
  for (auto& [code, level] : by_code) {
    std::sort(level->requirements.begin(), level->requirements.end(),
              [](const RequirementView& a, const RequirementView& b) {
                if (a.weight != b.weight) return a.weight > b.weight;
                return a.item_title < b.item_title;
              });
  }

  PATHWAY_ASSIGN_OR_RETURN(auto statements, db.Prepare(R"sql(
SELECT rl.code, rs.kind, rs.text FROM role_statement rs
JOIN role_level rl ON rl.id = rs.role_level_id
JOIN career_role cr ON cr.id = rl.role_id
JOIN job_family jf ON jf.id = cr.job_family_id
WHERE jf.profession_id = ?1 AND (?2 = '' OR cr.code = ?2)
ORDER BY rs.role_level_id, rs.kind, rs.position)sql"));
  statements.Bind(1, profession_id).Bind(2, parts.role);
  PATHWAY_TRY(ForEachRow(statements, [&](const Statement& row) {
    const auto it = by_code.find(row.ColumnText(0));
    if (it == by_code.end()) return;
    (row.ColumnText(1) == "experience" ? it->second->experience : it->second->qualifications)
        .push_back(row.ColumnText(2));
  }));

  // Moves. Promotions within each role from the ladder itself; lateral moves by query.
  for (auto& family : detail.job_families) {
    for (auto& role : family.roles) {
      for (std::size_t i = 0; i + 1 < role.levels.size(); ++i) {
        auto& from = role.levels[i];
        auto& to = role.levels[i + 1];
        LevelInfo to_info{to.code,
                          to.title,
                          role.name,
                          role.code,
                          detail.summary.code,
                          detail.summary.name,
                          to.grade_min,
                          to.grade_max,
                          0,
                          to.position};
        LevelInfo from_info{
            from.code,           from.title,     role.name,      role.code, detail.summary.code,
            detail.summary.name, from.grade_min, from.grade_max, 0,         from.position};
        from.moves_out.push_back(MoveTo(to_info, RoleMove::Kind::kPromotion, 0));
        to.moves_in.push_back(MoveTo(from_info, RoleMove::Kind::kPromotion, 0));
      }
    }
  }
  PATHWAY_ASSIGN_OR_RETURN(auto out, LateralMoves(db, profession_id, parts.role, true));
  PATHWAY_ASSIGN_OR_RETURN(auto in, LateralMoves(db, profession_id, parts.role, false));
  std::set<std::int64_t> ids;
  for (const auto& pair : out) ids.insert({pair.from, pair.to});
  for (const auto& pair : in) ids.insert({pair.from, pair.to});
  PATHWAY_ASSIGN_OR_RETURN(auto infos, LevelInfos(db, ids));
  auto add_moves = [&](const std::vector<LateralPair>& pairs, bool outgoing) {
    for (const auto& pair : pairs) {
      const auto here = infos.find(outgoing ? pair.from : pair.to);
      const auto there = infos.find(outgoing ? pair.to : pair.from);
      if (here == infos.end() || there == infos.end()) continue;
      const auto level = by_code.find(here->second.code);
      if (level == by_code.end()) continue;
      (outgoing ? level->second->moves_out : level->second->moves_in)
          .push_back(MoveTo(there->second, RoleMove::Kind::kLateral, pair.shared));
    }
  };
  add_moves(out, true);
  add_moves(in, false);
  for (auto& [code, level] : by_code) {
    for (auto* moves : {&level->moves_out, &level->moves_in}) {
      std::stable_sort(moves->begin(), moves->end(), [](const RoleMove& a, const RoleMove& b) {
        if (a.kind != b.kind) return a.kind == RoleMove::Kind::kPromotion;
        if (a.shared_items != b.shared_items) return a.shared_items > b.shared_items;
        return a.title < b.title;
      });
      std::size_t promotions = 0;
      while (promotions < moves->size() &&
             (*moves)[promotions].kind == RoleMove::Kind::kPromotion) {
        ++promotions;
      }
      if (moves->size() > promotions + kMaxLateralMoves) {
        moves->resize(promotions + kMaxLateralMoves);
      }
    }
  }
  return std::optional<ProfessionDetail>(std::move(detail));
}

Result<RoleLevelPage> ListRoleLevels(Database& db, const RoleLevelFilter& filter, int limit,
                                     std::int64_t offset) {
  Query q;
  if (!filter.text.empty()) {
    q.conditions.push_back("rl.title LIKE ? ESCAPE '\\'");
    q.where_params.Add(Contains(filter.text));
  }
  if (!filter.profession.empty()) {
    q.conditions.push_back("pr.code = ?");
    q.where_params.Add(filter.profession);
  }
  if (filter.grade) {
    q.conditions.push_back("rl.grade_min <= ? AND rl.grade_max >= ?");
    q.where_params.Add(static_cast<std::int64_t>(*filter.grade));
    q.where_params.Add(static_cast<std::int64_t>(*filter.grade));
  }
  constexpr std::string_view kFrom = R"sql(
FROM role_level rl JOIN career_role cr ON cr.id = rl.role_id
JOIN job_family jf ON jf.id = cr.job_family_id JOIN profession pr ON pr.id = jf.profession_id)sql";
  const std::string where = q.Where();
  RoleLevelPage page;
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(fmt::format(R"sql(
SELECT rl.code, rl.title, rl.position, cr.code, cr.name, jf.code, pr.code, pr.name,
       rl.grade_min, rl.grade_max,
       (SELECT COUNT(*) FROM role_requirement rr WHERE rr.role_level_id = rl.id)
{} {}
ORDER BY pr.name, cr.name, rl.position, rl.code
LIMIT ? OFFSET ?)sql",
                                                             kFrom, where)));
  const int next = q.BindTo(stmt);
  stmt.Bind(next, static_cast<std::int64_t>(limit)).Bind(next + 1, offset);
  PATHWAY_TRY(ForEachRow(stmt, [&](const Statement& row) {
    page.rows.push_back({row.ColumnText(0), row.ColumnText(1), static_cast<int>(row.ColumnInt(2)),
                         row.ColumnText(3), row.ColumnText(4), row.ColumnText(5), row.ColumnText(6),
                         row.ColumnText(7), GradeCodeOf(row, 8), GradeCodeOf(row, 9),
                         row.ColumnInt(10)});
  }));
  PATHWAY_ASSIGN_OR_RETURN(page.total,
                           CountOf(db, fmt::format("SELECT COUNT(*) {} {}", kFrom, where), q));
  return page;
}

// ---------------------------------------------------------------------------------
// Overviews

namespace {

// Grade counts in grade order from (rank, count) rows.
Result<std::vector<Count>> GradeCounts(Statement& stmt) {
  std::vector<Count> counts;
  PATHWAY_TRY(ForEachRow(stmt, [&](const Statement& row) {
    Count count;
    const std::string code = GradeCodeOf(row, 0);
    count.key = code;
    count.label = code.empty() ? "Not recorded" : code;
    if (!code.empty()) {
      count.label =
          std::string(domain::AllGrades()[static_cast<std::size_t>(row.ColumnInt(0))].name);
    }
    count.count = row.ColumnInt(1);
    counts.push_back(std::move(count));
  }));
  return counts;
}

Result<std::vector<Count>> KeyedCounts(Statement& stmt) {
  std::vector<Count> counts;
  PATHWAY_TRY(ForEachRow(stmt, [&](const Statement& row) {
    counts.push_back({row.ColumnText(0), row.ColumnText(1), row.ColumnInt(2)});
  }));
  return counts;
}

// Counts of people with `column` = `value`, grouped by grade, region and a third key.
// Each is one pass over a covering index of migration 6.
Result<std::vector<Count>> CountByGrade(Database& db, std::string_view column,
                                        const std::string& value) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare(fmt::format(
          "SELECT grade, COUNT(*) FROM person WHERE {} = ? GROUP BY grade ORDER BY grade",
          column)));
  stmt.Bind(1, value);
  return GradeCounts(stmt);
}

Result<std::vector<Count>> CountByRegion(Database& db, std::string_view column,
                                         const std::string& value) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(fmt::format(R"sql(
SELECT COALESCE(r.code, ''), COALESCE(r.name, 'Not recorded'), SUM(x.n)
FROM (SELECT location_id, COUNT(*) AS n FROM person WHERE {} = ? GROUP BY location_id) x
LEFT JOIN location l ON l.id = x.location_id
LEFT JOIN region r ON r.code = l.region
GROUP BY r.code ORDER BY COALESCE(r.position, 99))sql",
                                                             column)));
  stmt.Bind(1, value);
  return KeyedCounts(stmt);
}

}  // namespace

Result<std::vector<DepartmentSummary>> ListDepartments(Database& db) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(R"sql(
SELECT d.code, d.name, (SELECT COUNT(*) FROM person WHERE department = d.code)
FROM department d ORDER BY d.name)sql"));
  std::vector<DepartmentSummary> list;
  PATHWAY_TRY(ForEachRow(stmt, [&](const Statement& row) {
    list.push_back({row.ColumnText(0), row.ColumnText(1), row.ColumnInt(2)});
  }));
  return list;
}

Result<std::optional<DepartmentOverview>> FindDepartmentOverview(Database& db,
                                                                 const std::string& code) {
  PATHWAY_ASSIGN_OR_RETURN(auto head, db.Prepare(R"sql(
SELECT d.id, d.code, d.name, (SELECT COUNT(*) FROM person WHERE department = d.code)
FROM department d WHERE d.code = ?)sql"));
  head.Bind(1, code);
  PATHWAY_ASSIGN_OR_RETURN(bool found, head.Step());
  if (!found) return std::optional<DepartmentOverview>{};
  DepartmentOverview overview;
  const std::int64_t department_id = head.ColumnInt(0);
  overview.summary = {head.ColumnText(1), head.ColumnText(2), head.ColumnInt(3)};
  PATHWAY_ASSIGN_OR_RETURN(overview.by_grade, CountByGrade(db, "department", code));
  PATHWAY_ASSIGN_OR_RETURN(overview.by_region, CountByRegion(db, "department", code));
  PATHWAY_ASSIGN_OR_RETURN(auto professions, db.Prepare(R"sql(
SELECT x.profession, COALESCE(pr.name, x.profession), x.n
FROM (SELECT profession, COUNT(*) AS n FROM person WHERE department = ? GROUP BY profession) x
LEFT JOIN profession pr ON pr.code = x.profession
ORDER BY x.n DESC, 2)sql"));
  professions.Bind(1, code);
  PATHWAY_ASSIGN_OR_RETURN(overview.by_profession, KeyedCounts(professions));
  PATHWAY_ASSIGN_OR_RETURN(auto posts, db.Prepare(R"sql(
SELECT COUNT(*), COUNT(h.id) FROM post po
JOIN unit u ON u.id = po.unit_id
LEFT JOIN person h ON h.post_id = po.id
WHERE u.department_id = ?)sql"));
  posts.Bind(1, department_id);
  PATHWAY_ASSIGN_OR_RETURN(bool has_posts, posts.Step());
  if (has_posts) {
    overview.posts_filled = posts.ColumnInt(1);
    overview.posts_vacant = posts.ColumnInt(0) - posts.ColumnInt(1);
  }
  return std::optional<DepartmentOverview>(std::move(overview));
}

Result<std::optional<ProfessionOverview>> FindProfessionOverview(Database& db,
                                                                 const std::string& code) {
  PATHWAY_ASSIGN_OR_RETURN(auto head, db.Prepare(R"sql(
SELECT pr.code, pr.name, (SELECT COUNT(*) FROM person WHERE profession = pr.code)
FROM profession pr WHERE pr.code = ?)sql"));
  head.Bind(1, code);
  PATHWAY_ASSIGN_OR_RETURN(bool found, head.Step());
  if (!found) return std::optional<ProfessionOverview>{};
  ProfessionOverview overview;
  overview.code = head.ColumnText(0);
  overview.name = head.ColumnText(1);
  overview.headcount = head.ColumnInt(2);
  PATHWAY_ASSIGN_OR_RETURN(auto departments, db.Prepare(R"sql(
SELECT x.department, COALESCE(d.name, x.department), x.n
FROM (SELECT department, COUNT(*) AS n FROM person WHERE profession = ? GROUP BY department) x
LEFT JOIN department d ON d.code = x.department
ORDER BY x.n DESC, 2)sql"));
  departments.Bind(1, code);
  PATHWAY_ASSIGN_OR_RETURN(overview.by_department, KeyedCounts(departments));
  PATHWAY_ASSIGN_OR_RETURN(overview.by_grade, CountByGrade(db, "profession", code));
  PATHWAY_ASSIGN_OR_RETURN(overview.by_region, CountByRegion(db, "profession", code));
  return std::optional<ProfessionOverview>(std::move(overview));
}

}  // namespace pathway::store
