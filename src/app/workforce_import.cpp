#include "app/workforce_import.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "domain/loops.hpp"
#include "domain/text.hpp"
#include "domain/text_index.hpp"
#include "store/audit.hpp"
#include "store/database.hpp"
#include "store/workforce_change.hpp"
#include "store/workforce_lookup.hpp"
#include "store/workforce_write.hpp"

namespace pathway::app {

using domain::Error;
using domain::ErrorCode;
using interchange::ImportProblem;
using interchange::ImportProblemList;
using interchange::WorkforceFileKind;

namespace {

constexpr std::string_view kImport = "workforce.import";
using CodeSet = std::unordered_set<std::string>;

Result<CodeSet> LoadCodeSet(store::Database& db, store::CodeTable table) {
  PATHWAY_ASSIGN_OR_RETURN(auto stored, store::LoadCodes(db, table));
  return CodeSet(std::make_move_iterator(stored.begin()), std::make_move_iterator(stored.end()));
}

// `value` in curly quotes for a message.
std::string Quoted(std::string_view value) { return fmt::format("‘{}’", value); }

class Checker {
 public:
  Checker(store::Database& db, std::size_t max_problems) : db_(db), problems_(max_problems) {}

  void Problem(int line, int column, std::string message) {
    problems_.Add(line, column, std::move(message));
  }
  bool empty() const { return problems_.empty(); }
  std::vector<ImportProblem> Take() { return problems_.Take(); }

  // ---- org

  Status Check(interchange::OrgFile& file) {
    using C = interchange::OrgColumn;
    PATHWAY_ASSIGN_OR_RETURN(auto departments, LoadCodeSet(db_, store::CodeTable::kDepartment));
    for (const auto& d : file.departments) departments.insert(d.code);
    // Parent of each unit: stored, then as the file says.
    std::unordered_map<std::string, std::string> parent;
    PATHWAY_ASSIGN_OR_RETURN(auto stored_units, store::LoadUnitParents(db_));
    for (auto& u : stored_units) parent[std::move(u.unit)] = std::move(u.parent);
    for (const auto& u : file.units) parent[u.code] = u.parent_unit;
    std::unordered_map<std::string, std::size_t> unit_row;
    for (std::size_t i = 0; i < file.units.size(); ++i) {
      const auto& u = file.units[i];
      unit_row[u.code] = i;
      if (!departments.contains(u.department)) {
        Problem(file.unit_lines.Line(i, C::kDepartment), C::kDepartment,
                fmt::format("There is no department {} in this file or in Pathway. Add a "
                            "department row for it",
                            Quoted(u.department)));
      }
      if (!u.parent_unit.empty() && !parent.contains(u.parent_unit)) {
        Problem(file.unit_lines.Line(i, C::kParentUnit), C::kParentUnit,
                fmt::format("There is no unit {} in this file or in Pathway. Add a unit row for it "
                            "or leave parent_unit empty",
                            Quoted(u.parent_unit)));
      }
    }
    // Units inside themselves. Nodes: file rows; stored units are reached by code.
    std::vector<std::string> stored_names;
    std::unordered_map<std::string, std::int64_t> stored_node;
    auto node_of = [&](const std::string& code) -> std::int64_t {
      if (auto row = unit_row.find(code); row != unit_row.end()) {
        return static_cast<std::int64_t>(row->second);
      }
      auto [at, added] =
          stored_node.emplace(code, -1 - static_cast<std::int64_t>(stored_names.size()));
      if (added) stored_names.push_back(code);
      return at->second;
    };
    auto name_of = [&](std::int64_t node) -> std::string {
      return node >= 0 ? file.units[static_cast<std::size_t>(node)].code
                       : stored_names[static_cast<std::size_t>(-1 - node)];
    };
    domain::FindLoops(
        file.units.size(),
        [&](std::int64_t node) -> std::optional<std::int64_t> {
          const auto found = parent.find(name_of(node));
          if (found == parent.end() || found->second.empty() || !parent.contains(found->second)) {
            return std::nullopt;
          }
          return node_of(found->second);
        },
        [&](std::size_t row, const std::vector<std::int64_t>& loop) {
          std::string names;
          for (auto n : loop) names += name_of(n) + " → ";
          names += name_of(loop.front());
          Problem(file.unit_lines.Line(row, C::kParentUnit), C::kParentUnit,
                  fmt::format("Units would be inside themselves: {}. Change a parent_unit to "
                              "break the loop",
                              names));
        });
    return domain::Ok{};
  }

  // ---- roles

  Status Check(interchange::RolesFile& file) {
    using C = interchange::RolesColumn;
    // Career frameworks by id and by title (lower case).
    std::unordered_map<std::string, std::string> career_by_title;
    CodeSet career_ids;
    PATHWAY_ASSIGN_OR_RETURN(auto careers, store::LoadCareerFrameworkTitles(db_));
    for (const auto& f : careers) {
      career_ids.insert(f.framework_id);
      career_by_title[domain::Lower(f.title)] = f.framework_id;
    }
    for (std::size_t i = 0; i < file.professions.size(); ++i) {
      auto& p = file.professions[i];
      if (p.career_framework_id.empty() || career_ids.contains(p.career_framework_id)) continue;
      if (auto found = career_by_title.find(domain::Lower(p.career_framework_id));
          found != career_by_title.end()) {
        p.career_framework_id = found->second;
        continue;
      }
      Problem(file.profession_lines.Line(i, C::kCareerFramework), C::kCareerFramework,
              fmt::format("There is no career framework {} in Pathway. Import it first with "
                          "‘pathway import framework’, or leave career_framework empty",
                          Quoted(p.career_framework_id)));
      p.career_framework_id.clear();
    }

    // Role positions: stored levels laid under the file's.
    {
      std::unordered_map<std::string, std::string> slot_of;  // level code -> "role\nposition"
      PATHWAY_ASSIGN_OR_RETURN(auto slots, store::LoadRoleLevelSlots(db_));
      for (const auto& l : slots) slot_of[l.code] = l.role + "\n" + std::to_string(l.position);
      for (const auto& l : file.role_levels) {
        slot_of[l.code] = l.role + "\n" + std::to_string(l.position);
      }
      std::unordered_map<std::string, std::string> holder;  // slot -> level code
      for (const auto& [code, slot] : slot_of) holder.emplace(slot, code);
      for (std::size_t i = 0; i < file.role_levels.size(); ++i) {
        const auto& l = file.role_levels[i];
        const auto& other = holder.at(slot_of.at(l.code));
        if (other != l.code && !std::any_of(file.role_levels.begin(), file.role_levels.end(),
                                            [&](const auto& x) { return x.code == other; })) {
          Problem(file.role_level_lines.Line(i, C::kPosition), C::kPosition,
                  fmt::format("Role {} already has level {} at position {} in Pathway. Use "
                              "another position or include {} in this file",
                              Quoted(l.role), Quoted(other), l.position, Quoted(other)));
        }
      }
    }

    if (file.requirements.empty()) return domain::Ok{};
    // Items: by id, and by (framework, lower-case title) for skills or lower-case title
    // for behaviours. Every version's items count; ids are stable across versions.
    struct ItemInfo {
      std::string framework_id;
      bool behaviour = false;  // in a published behaviours or competency framework
    };
    std::unordered_map<std::string, ItemInfo> items;
    std::unordered_map<std::string, CodeSet> skill_titles;      // fw + "\n" + title -> ids
    std::unordered_map<std::string, CodeSet> behaviour_titles;  // title -> ids
    {
      PATHWAY_ASSIGN_OR_RETURN(auto rows, store::LoadFrameworkItems(db_));
      for (const auto& row : rows) {
        const std::string title = domain::Lower(row.title);
        const bool behaviour =
            (row.kind == "behaviours" || row.kind == "competency") && row.status == "published";
        auto& info = items[row.id];
        info.framework_id = row.framework_id;
        info.behaviour = info.behaviour || behaviour;
        if (row.kind == "career") skill_titles[row.framework_id + "\n" + title].insert(row.id);
        if (behaviour) behaviour_titles[title].insert(row.id);
      }
    }
    for (const auto& r : file.requirements) {
      auto& level = file.role_levels[r.role_level];
      const auto& role = std::find_if(file.career_roles.begin(), file.career_roles.end(),
                                      [&](const auto& x) { return x.code == level.role; });
      const auto& family = std::find_if(file.job_families.begin(), file.job_families.end(),
                                        [&](const auto& x) { return x.code == role->job_family; });
      const auto& profession =
          std::find_if(file.professions.begin(), file.professions.end(),
                       [&](const auto& x) { return x.code == family->profession; });
      std::optional<std::string> item_id;
      const std::string title = domain::Lower(r.item);
      if (r.skill) {
        const std::string& framework = profession->career_framework_id;
        if (framework.empty()) {
          Problem(r.line, C::kRequirement,
                  fmt::format("Profession {} has no career framework, so its role levels cannot "
                              "need skills. Enter its career_framework",
                              Quoted(profession->code)));
          continue;
        }
        if (auto found = items.find(r.item);
            found != items.end() && found->second.framework_id == framework) {
          item_id = r.item;
        } else if (auto titled = skill_titles.find(framework + "\n" + title);
                   titled != skill_titles.end() && titled->second.size() == 1) {
          item_id = *titled->second.begin();
        } else {
          Problem(r.line, C::kRequirement,
                  fmt::format("There is no skill {} in the career framework of profession {}. "
                              "Enter a skill’s id or its title as the framework writes it",
                              Quoted(r.item), Quoted(profession->code)));
          continue;
        }
      } else {
        if (auto found = items.find(r.item); found != items.end() && found->second.behaviour) {
          item_id = r.item;
        } else if (auto titled = behaviour_titles.find(title); titled != behaviour_titles.end()) {
          if (titled->second.size() > 1) {
            Problem(r.line, C::kRequirement,
                    fmt::format("More than one published framework has a behaviour called {}. "
                                "Enter the behaviour’s id instead",
                                Quoted(r.item)));
            continue;
          }
          item_id = *titled->second.begin();
        } else {
          Problem(r.line, C::kRequirement,
                  fmt::format("There is no behaviour {} in a published behaviours or competency "
                              "framework. Enter a behaviour’s id or its title",
                              Quoted(r.item)));
          continue;
        }
      }
      const bool twice =
          std::any_of(level.requirements.begin(), level.requirements.end(),
                      [&](const domain::Requirement& x) { return x.item_id == *item_id; });
      if (twice) {
        Problem(r.line, C::kRequirement,
                fmt::format("Role level {} already needs this item on another row",
                            Quoted(level.code)));
        continue;
      }
      level.requirements.push_back({*item_id, r.level, r.weight});
    }
    return domain::Ok{};
  }

  // ---- posts

  Status Check(interchange::PostsFile& file) {
    using C = interchange::PostsColumn;
    PATHWAY_ASSIGN_OR_RETURN(auto levels, LoadCodeSet(db_, store::CodeTable::kRoleLevel));
    PATHWAY_ASSIGN_OR_RETURN(auto units, LoadCodeSet(db_, store::CodeTable::kUnit));
    PATHWAY_ASSIGN_OR_RETURN(auto locations, LoadCodeSet(db_, store::CodeTable::kLocation));
    for (std::size_t i = 0; i < file.posts.size(); ++i) {
      const auto& p = file.posts[i];
      if (!levels.contains(p.role_level)) {
        Problem(file.lines.Line(i, C::kRoleLevel), C::kRoleLevel,
                fmt::format("There is no role level {} in Pathway. Import the roles file first",
                            Quoted(p.role_level)));
      }
      if (!units.contains(p.unit)) {
        Problem(file.lines.Line(i, C::kUnit), C::kUnit,
                fmt::format("There is no unit {} in Pathway. Import the org file first",
                            Quoted(p.unit)));
      }
      if (!locations.contains(p.location)) {
        Problem(file.lines.Line(i, C::kLocation), C::kLocation,
                fmt::format("There is no location {} in Pathway. Import the org file first",
                            Quoted(p.location)));
      }
    }
    return domain::Ok{};
  }

  // ---- people

  Status Check(interchange::PeopleFile& file) {
    using C = interchange::PeopleColumn;
    PATHWAY_ASSIGN_OR_RETURN(auto departments, LoadCodeSet(db_, store::CodeTable::kDepartment));
    PATHWAY_ASSIGN_OR_RETURN(auto locations, LoadCodeSet(db_, store::CodeTable::kLocation));
    PATHWAY_ASSIGN_OR_RETURN(auto professions, LoadCodeSet(db_, store::CodeTable::kProfession));
    // Hundreds of thousands of posts and people: in TextIndexes and vectors, by their
    // place in rowid order.
    std::vector<std::int64_t> post_ids;  // ascending
    domain::TextIndex posts;             // external id -> place in post_ids
    PATHWAY_TRY(store::ForEachPost(db_, [&](std::int64_t id, std::string_view external_id) {
      posts.Emplace(external_id, static_cast<std::int64_t>(post_ids.size()));
      post_ids.push_back(id);
    }));
    // Stored people: their external ids, managers and posts, by place in rowid order.
    constexpr std::int64_t kNone = -1;
    std::vector<std::int64_t> stored_ids;  // ascending
    domain::TextIndex stored;              // external id -> place
    std::vector<std::int64_t> stored_manager_ids;
    std::vector<std::int64_t> holder(post_ids.size(), kNone);  // post place -> person place
    PATHWAY_TRY(store::ForEachPerson(db_, [&](const store::StoredPersonRef& p) {
      const auto place = static_cast<std::int64_t>(stored_ids.size());
      stored_ids.push_back(p.id);
      stored.Emplace(p.external_id, place);
      stored_manager_ids.push_back(p.line_manager_id);
      if (p.post_id != 0) {
        const auto post = std::lower_bound(post_ids.begin(), post_ids.end(), p.post_id);
        if (post != post_ids.end() && *post == p.post_id) {
          holder[static_cast<std::size_t>(post - post_ids.begin())] = place;
        }
      }
    }));
    std::vector<std::string_view> stored_names(stored_ids.size());
    stored.ForEach([&](std::string_view name, std::int64_t place) {
      stored_names[static_cast<std::size_t>(place)] = name;
    });
    // Each stored person's manager by place, or kNone.
    std::vector<std::int64_t> stored_manager(stored_ids.size(), kNone);
    for (std::size_t s = 0; s < stored_ids.size(); ++s) {
      if (stored_manager_ids[s] == 0) continue;
      const auto m = std::lower_bound(stored_ids.begin(), stored_ids.end(), stored_manager_ids[s]);
      if (m != stored_ids.end() && *m == stored_manager_ids[s]) {
        stored_manager[s] = m - stored_ids.begin();
      }
    }
    domain::TextIndex row_of(file.people.size());
    for (std::size_t i = 0; i < file.people.size(); ++i) {
      row_of.Emplace(file.people[i].external_id, static_cast<std::int64_t>(i));
    }
    const auto unknown = [&](std::size_t i, int column, std::string_view what,
                             const std::string& code, std::string_view hint) {
      Problem(file.lines.Line(i, column), column,
              fmt::format("There is no {} {} in Pathway. {}", what, Quoted(code), hint));
    };
    for (std::size_t i = 0; i < file.people.size(); ++i) {
      const auto& p = file.people[i];
      if (!departments.contains(p.department)) {
        unknown(i, C::kDepartment, "department", p.department, "Import the org file first");
      }
      if (!locations.contains(p.location)) {
        unknown(i, C::kLocation, "location", p.location, "Import the org file first");
      }
      if (!professions.contains(p.profession)) {
        unknown(i, C::kProfession, "profession", p.profession, "Import the roles file first");
      }
      for (const auto& other : p.other_professions) {
        if (!professions.contains(other)) {
          unknown(i, C::kOtherProfessions, "profession", other, "Import the roles file first");
        }
      }
      if (!p.post.empty()) {
        const std::int64_t* post = posts.Find(p.post);
        if (post == nullptr) {
          unknown(i, C::kPost, "post", p.post, "Import the posts file first");
        } else if (const std::int64_t h = holder[static_cast<std::size_t>(*post)];
                   h != kNone && stored_names[static_cast<std::size_t>(h)] != p.external_id) {
          // The holder keeps the post unless this file moves them.
          const std::string_view name = stored_names[static_cast<std::size_t>(h)];
          const std::int64_t* moved = row_of.Find(name);
          if (moved == nullptr || file.people[static_cast<std::size_t>(*moved)].post == p.post) {
            Problem(file.lines.Line(i, C::kPost), C::kPost,
                    fmt::format("Post {} is held by {}. A post has one holder: include {} in "
                                "this file with another post, or choose another post",
                                Quoted(p.post), Quoted(name), Quoted(name)));
          }
        }
      }
      if (!p.line_manager.empty() && !row_of.Contains(p.line_manager) &&
          !stored.Contains(p.line_manager)) {
        Problem(file.lines.Line(i, C::kLineManager), C::kLineManager,
                fmt::format("There is no person {} in this file or in Pathway to be the line "
                            "manager",
                            Quoted(p.line_manager)));
      }
    }
    // Line-management loops. Records of the file are nodes >= 0; stored people not in
    // the file are -1 - their place.
    const auto node_of = [&](std::string_view id) -> std::optional<std::int64_t> {
      if (const std::int64_t* row = row_of.Find(id)) return *row;
      if (const std::int64_t* place = stored.Find(id)) return -1 - *place;
      return std::nullopt;  // reported above
    };
    const auto name_of = [&](std::int64_t node) -> std::string_view {
      return node >= 0 ? std::string_view(file.people[static_cast<std::size_t>(node)].external_id)
                       : stored_names[static_cast<std::size_t>(-1 - node)];
    };
    domain::FindLoops(
        file.people.size(),
        [&](std::int64_t node) -> std::optional<std::int64_t> {
          if (node >= 0) {
            const std::string& manager = file.people[static_cast<std::size_t>(node)].line_manager;
            if (manager.empty()) return std::nullopt;
            return node_of(manager);
          }
          const std::int64_t manager = stored_manager[static_cast<std::size_t>(-1 - node)];
          if (manager == kNone) return std::nullopt;
          return node_of(stored_names[static_cast<std::size_t>(manager)]);
        },
        [&](std::size_t row, const std::vector<std::int64_t>& loop) {
          std::string names;
          for (auto n : loop) names += fmt::format("{} → ", name_of(n));
          names += name_of(loop.front());
          Problem(file.lines.Line(row, C::kLineManager), C::kLineManager,
                  fmt::format("Line managers form a loop: {}. Change a line_manager to break it",
                              names));
        });
    return domain::Ok{};
  }

  // ---- a department-scoped importer (an HR partner): only rows of `allowed`

  Status CheckScope(const interchange::OrgFile& file, const CodeSet& allowed) {
    using C = interchange::OrgColumn;
    PATHWAY_ASSIGN_OR_RETURN(auto stored, DepartmentsOf(store::DepartmentOf::kUnit));
    for (std::size_t i = 0; i < file.departments.size(); ++i) {
      if (!allowed.contains(file.departments[i].code)) {
        Problem(file.department_lines.Line(i, C::kCode), C::kCode, OutsideScope(allowed));
      }
    }
    for (std::size_t i = 0; i < file.units.size(); ++i) {
      const auto& u = file.units[i];
      const auto was = stored.find(u.code);
      if (!allowed.contains(u.department) ||
          (was != stored.end() && !allowed.contains(was->second))) {
        Problem(file.unit_lines.Line(i, C::kDepartment), C::kDepartment, OutsideScope(allowed));
      }
    }
    for (std::size_t i = 0; i < file.locations.size(); ++i) {
      Problem(file.location_lines.Line(i, C::kType), C::kType,
              "Locations are shared by every department: only an administrator imports them. "
              "Remove the location rows");
    }
    return domain::Ok{};
  }

  Status CheckScope(const interchange::RolesFile&, const CodeSet&) {
    Problem(1, 1,
            "Professions and roles are shared by every department: only an administrator "
            "imports the roles file");
    return domain::Ok{};
  }

  Status CheckScope(const interchange::PostsFile& file, const CodeSet& allowed) {
    using C = interchange::PostsColumn;
    PATHWAY_ASSIGN_OR_RETURN(auto units, DepartmentsOf(store::DepartmentOf::kUnit));
    PATHWAY_ASSIGN_OR_RETURN(auto stored, DepartmentsOf(store::DepartmentOf::kPost));
    for (std::size_t i = 0; i < file.posts.size(); ++i) {
      const auto& p = file.posts[i];
      const auto unit = units.find(p.unit);
      if (unit != units.end() && !allowed.contains(unit->second)) {
        Problem(file.lines.Line(i, C::kUnit), C::kUnit, OutsideScope(allowed));
      } else if (const auto was = stored.find(p.external_id);
                 was != stored.end() && !allowed.contains(was->second)) {
        Problem(file.lines.Line(i, C::kExternalId), C::kExternalId, OutsideScope(allowed));
      }
    }
    return domain::Ok{};
  }

  Status CheckScope(const interchange::PeopleFile& file, const CodeSet& allowed) {
    using C = interchange::PeopleColumn;
    PATHWAY_ASSIGN_OR_RETURN(auto stored, DepartmentsOf(store::DepartmentOf::kPerson));
    for (std::size_t i = 0; i < file.people.size(); ++i) {
      const auto& p = file.people[i];
      if (!allowed.contains(p.department)) {
        Problem(file.lines.Line(i, C::kDepartment), C::kDepartment, OutsideScope(allowed));
      } else if (const auto was = stored.find(p.external_id);
                 was != stored.end() && !allowed.contains(was->second)) {
        Problem(file.lines.Line(i, C::kExternalId), C::kExternalId, OutsideScope(allowed));
      }
    }
    return domain::Ok{};
  }

 private:
  Result<std::unordered_map<std::string, std::string>> DepartmentsOf(store::DepartmentOf what) {
    PATHWAY_ASSIGN_OR_RETURN(auto rows, store::LoadDepartmentsOf(db_, what));
    std::unordered_map<std::string, std::string> map;
    map.reserve(rows.size());
    for (auto& row : rows) map.emplace(std::move(row.key), std::move(row.department));
    return map;
  }

  static std::string OutsideScope(const CodeSet& allowed) {
    std::vector<std::string> codes(allowed.begin(), allowed.end());
    std::sort(codes.begin(), codes.end());
    std::string list;
    for (const auto& code : codes) list += (list.empty() ? "" : ", ") + code;
    return fmt::format(
        "This row is about another department than yours ({}): you may import only your "
        "department's rows. Remove the row or ask an administrator to import it",
        list);
  }

  store::Database& db_;
  ImportProblemList problems_;
};

std::string CountsText(const std::vector<ImportedCount>& counts) {
  std::string text;
  for (const auto& c : counts) {
    if (!text.empty()) text += "; ";
    text += fmt::format("{} {} inserted, {} updated", c.what, c.inserted, c.updated);
    if (c.unchanged > 0) text += fmt::format(", {} unchanged", c.unchanged);
  }
  return text;
}

}  // namespace

Result<WorkforceImportService::ImportScope> WorkforceImportService::ScopeOf(
    const Actor& actor) const {
  ImportScope scope;
  auto db = kernel_.pool().Acquire();
  PATHWAY_ASSIGN_OR_RETURN(bool everything,
                           kernel_.authorizer().Allowed(*db, actor, kImport, Subject{}));
  if (everything) return scope;
  for (const auto& grant : actor.grants) {
    if (grant.scope.empty()) continue;
    Subject subject;
    subject.department = grant.scope;
    PATHWAY_ASSIGN_OR_RETURN(bool allowed,
                             kernel_.authorizer().Allowed(*db, actor, kImport, subject));
    if (!allowed) continue;
    if (!scope.departments) {
      scope.departments.emplace();
      scope.subject = subject;
    }
    scope.departments->insert(grant.scope);
  }
  return scope;
}

Result<WorkforceImportReport> WorkforceImportService::Import(
    const Actor& actor, WorkforceFileKind kind, std::string_view text, std::string_view source,
    const WorkforceImportOptions& options) {
  const std::string kind_name(interchange::WorkforceFileKindName(kind));
  const auto progress = [&](std::string_view stage, std::int64_t done, std::int64_t total) {
    if (options.progress) options.progress(stage, done, total);
  };

  PATHWAY_ASSIGN_OR_RETURN(const ImportScope scope, ScopeOf(actor));
  WorkforceImportReport report;
  report.kind = kind;
  interchange::WorkforceCsvOptions read_options;
  read_options.max_problems = options.max_problems;
  const auto total_bytes = static_cast<std::int64_t>(text.size());
  read_options.progress = [&](std::size_t bytes) {
    progress("Reading", static_cast<std::int64_t>(bytes), total_bytes);
  };

  // Who a people file changed (set by its writer), so that servers' in-memory indexes
  // reload just them; any other file reloads them whole.
  std::optional<std::vector<std::int64_t>> changed_people;
  // The connection the writers write through: the unit of work's.
  store::Database* db = nullptr;
  // Checks and writes one kind of file, parsed before the write lock is taken. Checked and
  // written in one transaction, so that what the check saw stored is what the file is
  // written over: the writers rely on it (no second loop check). A refused file rolls
  // back having written nothing; its refusal is audited as a failure.
  auto run = [&](auto parsed, auto rows_of, auto write) -> Result<WorkforceImportReport> {
    Command command{std::string(kImport), "workforce", kind_name};
    command.forbidden = "You do not have permission to import the workforce";
    auto refused = [&] {
      return Error::InvalidInput(
          "file", fmt::format("{}: refused with {} problems", source, report.problems.size()));
    };
    auto written = kernel_.Execute(actor, command, Fixed(scope.subject), [&](Tx& tx) -> Status {
      if (!parsed.ok()) {
        report.problems = parsed.problems();
        return refused();
      }
      auto file = std::move(parsed).value();
      report.rows = rows_of(file);
      db = &tx.db();
      Checker checker(tx.db(), options.max_problems);
      progress("Checking", 0, 1);
      if (scope.departments) PATHWAY_TRY(checker.CheckScope(file, *scope.departments));
      if (!checker.empty()) {
        report.problems = checker.Take();
        return refused();
      }
      PATHWAY_TRY(checker.Check(file));
      progress("Checking", 1, 1);
      if (!checker.empty()) {
        report.problems = checker.Take();
        return refused();
      }
      PATHWAY_TRY(write(file));
      if (changed_people) {
        tx.PeopleChanged(std::span<const std::int64_t>(*changed_people));
      } else {
        tx.WorkforceChanged();
      }
      tx.Describe(fmt::format("{}: {} rows; {}", source, report.rows, CountsText(report.counts)));
      tx.Emit("workforce.imported", fmt::format("{} rows", report.rows));
      return domain::Ok{};
    });
    if (!written.ok() && report.problems.empty()) return std::move(written).error();
    return report;
  };
  auto add = [&](std::string what, const store::UpsertCounts& counts) {
    report.counts.push_back({std::move(what), counts.inserted, counts.updated, counts.unchanged});
  };
  auto write_progress = [&](std::int64_t total) {
    store::WriteProgress p;
    p.every = 10'000;
    p.report = [&progress, total](std::int64_t written) { progress("Writing", written, total); };
    return p;
  };

  switch (kind) {
    case WorkforceFileKind::kOrg:
      return run(
          interchange::ParseOrgCsv(text, read_options),
          [](const interchange::OrgFile& f) {
            return static_cast<std::int64_t>(f.departments.size() + f.units.size() +
                                             f.locations.size());
          },
          [&](const interchange::OrgFile& f) -> Status {
            PATHWAY_ASSIGN_OR_RETURN(auto d, store::UpsertDepartments(*db, f.departments));
            add("departments", d);
            PATHWAY_ASSIGN_OR_RETURN(auto u, store::UpsertUnits(*db, f.units));
            add("units", u);
            PATHWAY_ASSIGN_OR_RETURN(auto l, store::UpsertLocations(*db, f.locations));
            add("locations", l);
            return domain::Ok{};
          });
    case WorkforceFileKind::kRoles:
      return run(
          interchange::ParseRolesCsv(text, read_options),
          [](const interchange::RolesFile& f) { return static_cast<std::int64_t>(f.rows); },
          [&](const interchange::RolesFile& f) -> Status {
            PATHWAY_ASSIGN_OR_RETURN(auto p, store::UpsertProfessions(*db, f.professions));
            add("professions", p);
            PATHWAY_ASSIGN_OR_RETURN(auto j, store::UpsertJobFamilies(*db, f.job_families));
            add("job families", j);
            PATHWAY_ASSIGN_OR_RETURN(auto r, store::UpsertCareerRoles(*db, f.career_roles));
            add("roles", r);
            PATHWAY_ASSIGN_OR_RETURN(auto l, store::UpsertRoleLevels(*db, f.role_levels));
            add("role levels", l);
            return domain::Ok{};
          });
    case WorkforceFileKind::kPosts:
      return run(
          interchange::ParsePostsCsv(text, read_options),
          [](const interchange::PostsFile& f) { return static_cast<std::int64_t>(f.posts.size()); },
          [&](const interchange::PostsFile& f) -> Status {
            PATHWAY_ASSIGN_OR_RETURN(
                auto p,
                store::UpsertPosts(*db, f.posts,
                                   write_progress(static_cast<std::int64_t>(f.posts.size()))));
            add("posts", p);
            return domain::Ok{};
          });
    case WorkforceFileKind::kPeople:
      return run(
          interchange::ParsePeopleCsv(text, read_options),
          [](const interchange::PeopleFile& f) {
            return static_cast<std::int64_t>(f.people.size());
          },
          [&](const interchange::PeopleFile& f) -> Status {
            store::PeopleUpsertOptions upsert;
            upsert.progress = write_progress(static_cast<std::int64_t>(f.people.size()));
            // Checker::Check refused loops over the same stored people, in this
            // transaction.
            upsert.loops_checked = true;
            changed_people.emplace();
            upsert.changed_ids = &*changed_people;
            PATHWAY_ASSIGN_OR_RETURN(auto p, store::UpsertPeople(*db, f.people, upsert));
            add("people", p);
            return domain::Ok{};
          });
  }
  return Error::Internal("Unknown workforce file kind");
}

}  // namespace pathway::app
