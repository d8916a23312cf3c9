#include "app/workforce_engine.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <utility>

#include "domain/text.hpp"
#include "store/audit.hpp"
#include "store/database.hpp"
#include "store/workforce_change.hpp"
#include "store/workforce_labels.hpp"
#include "store/workforce_read.hpp"
#include "store/workforce_snapshot.hpp"

namespace pathway::app {

using domain::Error;
using domain::Relationship;
using domain::Role;

namespace {

constexpr std::string_view kTalentMatch = "talent.match";
constexpr std::string_view kCapabilityRead = "capability.read";
constexpr std::string_view kPathwayRead = "pathway.read";

std::shared_ptr<const engine::Snapshot> EmptySnapshot() {
  engine::SnapshotBuilder builder;
  (void)builder.SetReference({});
  auto built = builder.Build();
  if (!built.ok()) throw std::logic_error("an empty workforce snapshot must build");
  return std::move(built).value();
}

std::vector<std::string> Intersect(const std::vector<std::string>& requested,
                                   const std::vector<std::string>& allowed) {
  if (requested.empty()) return allowed;
  std::vector<std::string> out;
  for (const auto& code : requested) {
    if (std::find(allowed.begin(), allowed.end(), code) != allowed.end()) out.push_back(code);
  }
  return out;
}

// Queries that together cover exactly the people in scope who pass the filters: the
// union of `branches`, minus `overlap` (counted in two branches) when there are two.
struct ScopedFilters {
  std::vector<engine::Filters> branches;
  std::optional<engine::Filters> overlap;
};

bool ByMatchRank(const engine::MatchEntry& a, const engine::MatchEntry& b) {
  if (a.score != b.score) return a.score > b.score;
  return a.person_id < b.person_id;
}

bool ByReadiness(const engine::MatchEntry& a, const engine::MatchEntry& b) {
  if (a.gap != b.gap) return a.gap < b.gap;
  if (a.score != b.score) return a.score > b.score;
  return a.person_id < b.person_id;
}

std::unordered_map<std::string, std::string> ItemTitles(store::Database& db) {
  std::unordered_map<std::string, std::string> titles;
  auto items = store::ListItemLabels(db);
  if (!items.ok()) return titles;  // titles are a courtesy: the ids still stand
  for (auto& item : *items) titles.emplace(item.item_id, std::move(item.title));
  return titles;
}

}  // namespace

struct EngineService::Scope {
  bool all = false;
  std::vector<std::string> departments;
  std::vector<std::string> professions;
};

EngineService::EngineService(UnitOfWork& kernel, EngineOptions options)
    : kernel_(kernel),
      pool_(kernel.pool()),
      authorizer_(kernel.authorizer()),
      clock_(kernel.clock()),
      index_(std::make_unique<engine::Index>(EmptySnapshot())),
      options_(std::move(options)) {
  auto db = pool_.Acquire();
  (void)Current(*db);  // on failure the next query tries again
}

EngineService::~EngineService() {
  std::thread rebuild;
  {
    std::lock_guard lock(rebuild_mutex_);
    rebuild = std::move(rebuild_thread_);
  }
  if (rebuild.joinable()) rebuild.join();
}

Result<std::shared_ptr<const engine::Snapshot>> EngineService::Current(store::Database& db) {
  // Read the counter before loading: a write that commits during the load may be in the
  // snapshot already, and then the next query merely loads those changes once more.
  PATHWAY_ASSIGN_OR_RETURN(const std::int64_t generation, store::WorkforceGeneration(db));
  if (generation == loaded_generation_.load()) return index_->Current();
  if (rebuilding_.load() && loaded_generation_.load() > 0) {
    // Behind by a full change that a rebuild is taking care of.
    if (!MaybeWaitForRebuild()) stale_answers_.fetch_add(1);
    if (loaded_generation_.load() >= generation || rebuilding_.load()) return index_->Current();
  }
  std::unique_lock lock(reload_mutex_);
  const std::int64_t loaded = loaded_generation_.load();
  if (loaded >= generation) return index_->Current();
  if (loaded > 0 && rebuilding_.load()) {
    stale_answers_.fetch_add(1);
    return index_->Current();
  }
  std::int64_t target = generation;
  if (loaded > 0) {
    if (auto changes = store::WorkforceChangesSince(db, loaded); changes.ok()) {
      target = changes->generation;
      if (UpdateFromLog(db, *changes)) {
        loaded_generation_.store(target);
        return index_->Current();
      }
    }
    // A full change (or a database without the log): rebuild in the background and
    // answer from the current snapshot, unless rebuilds are quick enough to wait for.
    StartRebuildLocked();
    lock.unlock();
    if (!MaybeWaitForRebuild()) stale_answers_.fetch_add(1);
    return index_->Current();
  }
  // The first load: there is nothing to answer from yet.
  const auto start = std::chrono::steady_clock::now();
  PATHWAY_ASSIGN_OR_RETURN(auto snapshot, store::LoadWorkforceSnapshot(db));
  last_full_load_us_.store(std::chrono::duration_cast<std::chrono::microseconds>(
                               std::chrono::steady_clock::now() - start)
                               .count());
  index_->Replace(snapshot);
  loaded_generation_.store(target);
  full_reloads_.fetch_add(1);
  return snapshot;
}

namespace {
// Full changes committed during a rebuild start its load again, this many times at most.
constexpr int kRebuildAttempts = 3;
// The rebuild thread's nice value (queries run at the process's, normally 0).
constexpr int kRebuildNice = 10;
}  // namespace

void EngineService::StartRebuild() {
  std::lock_guard lock(reload_mutex_);
  StartRebuildLocked();
}

void EngineService::StartRebuildLocked() {
  std::lock_guard lock(rebuild_mutex_);
  if (rebuilding_.load()) return;
  // A finished rebuild's thread has nothing left to do but return.
  if (rebuild_thread_.joinable()) rebuild_thread_.join();
  rebuilding_.store(true);
  rebuild_thread_ = std::thread([this] { Rebuild(); });
}

void EngineService::WaitForRebuild() {
  std::unique_lock lock(rebuild_mutex_);
  rebuilt_.wait(lock, [&] { return !rebuilding_.load(); });
}

bool EngineService::MaybeWaitForRebuild() {
  if (static_cast<std::int64_t>(index_->Current()->person_count()) >=
      options_.wait_for_rebuilds_below_people) {
    return !rebuilding_.load();
  }
  WaitForRebuild();
  return true;
}

bool EngineService::Replay(store::Database& db, engine::Index& fresh, std::int64_t& since) {
  auto changes = store::WorkforceChangesSince(db, since);
  if (!changes.ok() || changes->full) return false;
  if (!changes->people.empty()) {
    auto replacement = store::LoadWorkforcePeople(db, changes->people);
    if (!replacement.ok()) return false;
    if (!fresh.ReplacePeople(*replacement).ok()) return false;
    replayed_people_.fetch_add(static_cast<std::int64_t>(changes->people.size()));
  }
  since = changes->generation;
  return true;
}

void EngineService::Rebuild() {
  // Below the queries' priority: on a machine with few cores the load's threads (this
  // one and the loader's second, which inherits it) must not delay the answers.
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), kRebuildNice);
  // A connection of its own, so that the load holds none of the pool's for seconds; the
  // pool's if the file cannot be opened again.
  std::unique_ptr<store::Database> own;
  std::optional<store::ConnectionPool::Lease> lease;
  store::Database* db = nullptr;
  if (auto opened = store::Database::Open(pool_.path()); opened.ok()) {
    own = std::move(*opened);
    db = own.get();
  } else {
    lease.emplace(pool_.Acquire());
    db = &**lease;
  }
  const auto finish = [&] {
    {
      std::lock_guard lock(rebuild_mutex_);
      rebuilding_.store(false);
    }
    rebuilt_.notify_all();
  };
  for (int attempt = 0; attempt < kRebuildAttempts; ++attempt) {
    auto generation = store::WorkforceGeneration(*db);
    if (!generation.ok()) break;
    const auto start = std::chrono::steady_clock::now();
    auto snapshot = store::LoadWorkforceSnapshot(*db);
    if (!snapshot.ok()) break;
    last_full_load_us_.store(std::chrono::duration_cast<std::chrono::microseconds>(
                                 std::chrono::steady_clock::now() - start)
                                 .count());
    full_reloads_.fetch_add(1);
    if (options_.after_rebuild_load) options_.after_rebuild_load();
    engine::Index fresh(*snapshot);
    std::int64_t since = *generation;
    // Replay what was committed during the load without the lock (the bulk of it), then
    // what was committed during that replay with it, so that nothing slips in between
    // the last replay and the swap.
    if (!Replay(*db, fresh, since)) continue;
    std::shared_ptr<const engine::Snapshot> old;
    {
      std::lock_guard lock(reload_mutex_);
      if (!Replay(*db, fresh, since)) continue;
      old = index_->Current();
      if (since > loaded_generation_.load()) {
        index_->Replace(fresh.Current());
        loaded_generation_.store(since);
      }
      rebuilds_.fetch_add(1);
      finish();  // still holding reload_mutex_: the swap and the end are one step
    }
    // Free the old index here rather than in whichever query drops it last (freeing
    // hundreds of megabytes takes a while): wait a little (50 ms at most, so that a
    // rebuild started next does not wait long to join this thread) for queries still
    // reading it.
    for (int i = 0; i < 10 && old.use_count() > 1; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    old.reset();
    spdlog::info(
        "Workforce index rebuilt in the background: loaded in {:.1f} s, {} people "
        "replayed, swapped in at generation {}",
        static_cast<double>(last_full_load_us_.load()) / 1e6, replayed_people_.load(), since);
    return;
  }
  // Gave up (the store failed, or full changes kept coming): the index stays as it was
  // and the next query that finds it behind starts another rebuild.
  std::lock_guard lock(reload_mutex_);
  finish();
}

bool EngineService::UpdateFromLog(store::Database& db, const store::WorkforceChanges& changes) {
  if (changes.full) return false;
  if (!changes.people.empty()) {
    auto replacement = store::LoadWorkforcePeople(db, changes.people);
    if (!replacement.ok()) return false;
    // Fails (and publishes nothing) if a person names a profession, department or post
    // the index does not know: then reference data changed too, and a full reload
    // follows.
    if (!index_->ReplacePeople(*replacement).ok()) return false;
    people_replaced_.fetch_add(static_cast<std::int64_t>(changes.people.size()));
  }
  incremental_updates_.fetch_add(1);
  return true;
}

EngineStats EngineService::stats() const {
  EngineStats stats;
  stats.full_reloads = full_reloads_.load();
  stats.incremental_updates = incremental_updates_.load();
  stats.people_replaced = people_replaced_.load();
  stats.rebuilds = rebuilds_.load();
  stats.replayed_people = replayed_people_.load();
  stats.stale_answers = stale_answers_.load();
  stats.last_full_load_seconds = static_cast<double>(last_full_load_us_.load()) / 1e6;
  return stats;
}

std::optional<EngineService::Scope> EngineService::ScopeFor(const Actor& actor,
                                                            std::string_view action) const {
  // Ranking and counting need a population: a department, a profession or everyone.
  const auto people =
      PeopleScopeOf(authorizer_.policy(), actor, {action},
                    {Relationship::kDepartment, Relationship::kProfession, Relationship::kAny});
  if (!people) return std::nullopt;
  Scope scope;
  scope.all = people->all;
  scope.departments = people->departments;
  scope.professions = people->professions;
  return scope;
}

EngineAccess EngineService::AccessOf(const Actor& actor) const {
  return {ScopeFor(actor, kTalentMatch).has_value(), ScopeFor(actor, kCapabilityRead).has_value()};
}

Error EngineService::Refuse(store::Database& db, const Actor& actor, std::string_view action,
                            std::string_view object_type, std::string_view object_id,
                            std::string message) {
  Command command{std::string(action), std::string(object_type), std::string(object_id),
                  std::move(message)};
  return kernel_.Refuse(db, actor, command);
}

namespace {

// The requested filters restricted to the actor's scope. Codes in the scope that the
// index does not know (a department with nobody yet) select nobody. Empty branches mean
// nobody in scope passes the filters, which is not an error unless the filters named
// only codes outside the scope.
Result<ScopedFilters> Restrict(const engine::Filters& requested, bool all,
                               const std::vector<std::string>& departments,
                               const std::vector<std::string>& professions,
                               const engine::Catalog& catalog) {
  ScopedFilters out;
  if (all) {
    out.branches.push_back(requested);
    return out;
  }
  std::vector<std::string> known_departments;
  for (const auto& code : departments) {
    if (catalog.department_by_code.contains(code)) known_departments.push_back(code);
  }
  std::vector<std::string> known_professions;
  for (const auto& code : professions) {
    if (catalog.profession_by_code.contains(code)) known_professions.push_back(code);
  }
  std::optional<engine::Filters> by_department;
  std::optional<engine::Filters> by_profession;
  if (!departments.empty()) {
    auto in = Intersect(requested.departments, known_departments);
    if (!in.empty()) {
      by_department = requested;
      by_department->departments = std::move(in);
    }
  }
  if (!professions.empty()) {
    auto in = Intersect(requested.professions, known_professions);
    if (!in.empty()) {
      by_profession = requested;
      by_profession->professions = std::move(in);
    }
  }
  if (!by_department && !by_profession) {
    // Filters that name only departments or professions outside the scope contradict
    // it; otherwise nobody in scope is indexed yet, which is an empty answer.
    const bool departments_excluded =
        departments.empty() ||
        (!requested.departments.empty() && Intersect(requested.departments, departments).empty());
    const bool professions_excluded =
        professions.empty() ||
        (!requested.professions.empty() && Intersect(requested.professions, professions).empty());
    if (departments_excluded && professions_excluded) {
      if (!departments.empty()) {
        return Error::InvalidInput("filters.departments",
                                   "Select a department you are HR partner for");
      }
      return Error::InvalidInput("filters.professions",
                                 "Select a profession you are head of profession for");
    }
    return out;  // no branch: nobody
  }
  if (by_department) out.branches.push_back(*by_department);
  if (by_profession) out.branches.push_back(*by_profession);
  if (by_department && by_profession) {
    engine::Filters both = *by_department;
    both.professions = by_profession->professions;
    out.overlap = std::move(both);
  }
  return out;
}

// Runs a ranking over the scoped branches and merges them: the best k of the union.
Result<engine::MatchResult> RankScoped(const engine::Snapshot& snapshot,
                                       const engine::MatchQuery& query, const ScopedFilters& scoped,
                                       bool closest) {
  const auto run = [&](const engine::Filters& filters) {
    engine::MatchQuery q = query;
    q.filters = filters;
    return closest ? engine::ClosestToReady(snapshot, q) : engine::Match(snapshot, q);
  };
  if (scoped.branches.empty()) {
    // Nobody in scope; still validate the rest of the question.
    engine::MatchQuery q = query;
    q.filters = {};
    PATHWAY_ASSIGN_OR_RETURN(
        auto checked, closest ? engine::ClosestToReady(snapshot, q) : engine::Match(snapshot, q));
    (void)checked;
    return engine::MatchResult{};
  }
  PATHWAY_ASSIGN_OR_RETURN(engine::MatchResult merged, run(scoped.branches.front()));
  if (scoped.branches.size() == 1) return merged;
  PATHWAY_ASSIGN_OR_RETURN(engine::MatchResult second, run(scoped.branches[1]));
  PATHWAY_ASSIGN_OR_RETURN(engine::MatchResult overlap, run(*scoped.overlap));
  std::set<std::int64_t> seen;
  for (const auto& entry : merged.entries) seen.insert(entry.person_id);
  for (auto& entry : second.entries) {
    if (seen.insert(entry.person_id).second) merged.entries.push_back(std::move(entry));
  }
  std::sort(merged.entries.begin(), merged.entries.end(), closest ? ByReadiness : ByMatchRank);
  if (merged.entries.size() > static_cast<std::size_t>(query.k)) {
    merged.entries.resize(static_cast<std::size_t>(query.k));
  }
  merged.candidates = merged.candidates + second.candidates - overlap.candidates;
  return merged;
}

void AddCells(std::map<std::pair<int, int>, engine::CapabilityCell>& cells,
              const engine::CapabilityMap& map, int sign) {
  for (const auto& cell : map.cells) {
    auto& sum = cells[{cell.row, cell.column}];
    sum.row = cell.row;
    sum.column = cell.column;
    sum.headcount += sign * cell.headcount;
    sum.meeting += sign * cell.meeting;
    sum.level_sum += sign * cell.level_sum;
    sum.demand_filled += sign * cell.demand_filled;
    sum.demand_vacant += sign * cell.demand_vacant;
  }
}

Result<engine::CapabilityMap> MapScoped(const engine::Snapshot& snapshot,
                                        const engine::CapabilityQuery& query,
                                        const ScopedFilters& scoped) {
  const auto run = [&](const engine::Filters& filters) {
    engine::CapabilityQuery q = query;
    q.filters = filters;
    return engine::MapCapability(snapshot, q);
  };
  if (scoped.branches.empty()) {
    PATHWAY_ASSIGN_OR_RETURN(auto map, run({}));
    map.cells.clear();
    return map;
  }
  PATHWAY_ASSIGN_OR_RETURN(engine::CapabilityMap first, run(scoped.branches.front()));
  if (scoped.branches.size() == 1) return first;
  PATHWAY_ASSIGN_OR_RETURN(engine::CapabilityMap second, run(scoped.branches[1]));
  PATHWAY_ASSIGN_OR_RETURN(engine::CapabilityMap overlap, run(*scoped.overlap));
  std::map<std::pair<int, int>, engine::CapabilityCell> cells;
  AddCells(cells, first, 1);
  AddCells(cells, second, 1);
  AddCells(cells, overlap, -1);
  first.cells.clear();
  for (auto& [key, cell] : cells) {
    if (cell.headcount == 0 && cell.demand_filled == 0 && cell.demand_vacant == 0) continue;
    cell.share_meeting =
        cell.headcount > 0 ? static_cast<double>(cell.meeting) / cell.headcount : 0;
    const auto denominator = cell.headcount * std::max(1, first.requirement_count);
    cell.mean_level = denominator > 0 ? static_cast<double>(cell.level_sum) / denominator : 0;
    cell.gap = cell.demand_filled + cell.demand_vacant - cell.meeting;
    first.cells.push_back(cell);
  }
  return first;
}

}  // namespace

Result<MatchAnswer> EngineService::Rank(const Actor& actor, engine::MatchQuery query,
                                        bool closest) {
  auto db = pool_.Acquire();
  const auto scope = ScopeFor(actor, kTalentMatch);
  if (!scope) return Refuse(*db, actor, kTalentMatch, "person", "", "No such page");
  PATHWAY_ASSIGN_OR_RETURN(auto snapshot, Current(*db));
  PATHWAY_ASSIGN_OR_RETURN(auto scoped, Restrict(query.filters, scope->all, scope->departments,
                                                 scope->professions, snapshot->catalog()));
  MatchAnswer answer;
  PATHWAY_ASSIGN_OR_RETURN(answer.result, RankScoped(*snapshot, query, scoped, closest));
  answer.snapshot = std::move(snapshot);
  answer.closest_to_ready = closest;
  std::vector<std::int64_t> ids;
  for (const auto& entry : answer.result.entries) ids.push_back(entry.person_id);
  PATHWAY_ASSIGN_OR_RETURN(answer.people, store::FindPersonLabels(*db, ids));
  answer.item_titles = ItemTitles(*db);
  if (!ids.empty()) {
    kernel_.RecordRead(actor, {std::string(kTalentMatch), "person", ""},
                       fmt::format("{} people ranked", ids.size()));
  }
  return answer;
}

Result<MatchAnswer> EngineService::Match(const Actor& actor, engine::MatchQuery query) {
  return Rank(actor, std::move(query), false);
}

Result<MatchAnswer> EngineService::ClosestToReady(const Actor& actor, engine::MatchQuery query) {
  return Rank(actor, std::move(query), true);
}

Result<CapabilityAnswer> EngineService::MapCapability(const Actor& actor,
                                                      engine::CapabilityQuery query) {
  auto db = pool_.Acquire();
  const auto scope = ScopeFor(actor, kCapabilityRead);
  if (!scope) return Refuse(*db, actor, kCapabilityRead, "capability", "", "No such page");
  PATHWAY_ASSIGN_OR_RETURN(auto snapshot, Current(*db));
  PATHWAY_ASSIGN_OR_RETURN(auto scoped, Restrict(query.filters, scope->all, scope->departments,
                                                 scope->professions, snapshot->catalog()));
  CapabilityAnswer answer;
  PATHWAY_ASSIGN_OR_RETURN(answer.map, MapScoped(*snapshot, query, scoped));
  answer.snapshot = std::move(snapshot);
  PATHWAY_ASSIGN_OR_RETURN(auto departments, store::ListDepartmentNames(*db));
  for (auto& d : departments) answer.names.emplace(d.code, std::move(d.name));
  PATHWAY_ASSIGN_OR_RETURN(auto professions, store::ListProfessionNames(*db));
  for (auto& p : professions) answer.names.emplace(p.code, std::move(p.name));
  answer.item_titles = ItemTitles(*db);
  return answer;
}

Result<store::PersonLabel> EngineService::AuthorisePerson(const Actor& actor,
                                                          std::int64_t person_id) {
  const Command read{std::string(kPathwayRead), "person", std::to_string(person_id),
                     "No such person"};
  return kernel_.Read(actor, read, OfPerson(person_id),
                      [&](store::Database& db) -> Result<store::PersonLabel> {
                        const std::int64_t ids[] = {person_id};
                        PATHWAY_ASSIGN_OR_RETURN(auto labels, store::FindPersonLabels(db, ids));
                        const auto found = labels.find(person_id);
                        if (found == labels.end()) return Error::NotFound("No such person");
                        return found->second;
                      });
}

Result<PathwayAnswer> EngineService::PathwayPerson(const Actor& actor, std::int64_t person_id) {
  PathwayAnswer answer;
  PATHWAY_ASSIGN_OR_RETURN(answer.person, AuthorisePerson(actor, person_id));
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(answer.snapshot, Current(*db));
  return answer;
}

Result<PathwayAnswer> EngineService::BestRoutes(const Actor& actor,
                                                const engine::RouteQuery& query) {
  PathwayAnswer answer;
  PATHWAY_ASSIGN_OR_RETURN(answer.person, AuthorisePerson(actor, query.person_id));
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(answer.snapshot, Current(*db));
  PATHWAY_ASSIGN_OR_RETURN(answer.routes, engine::BestRoutes(*answer.snapshot, query));
  answer.item_titles = ItemTitles(*db);
  return answer;
}

Result<PathwayAnswer> EngineService::ClosestRoles(const Actor& actor, std::int64_t person_id,
                                                  int k) {
  PathwayAnswer answer;
  PATHWAY_ASSIGN_OR_RETURN(answer.person, AuthorisePerson(actor, person_id));
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(answer.snapshot, Current(*db));
  PATHWAY_ASSIGN_OR_RETURN(answer.closest_roles,
                           engine::ClosestRoles(*answer.snapshot, person_id, k));
  return answer;
}

Result<PathwayAnswer> EngineService::ReachableVacancies(const Actor& actor, std::int64_t person_id,
                                                        int per_region_limit) {
  PathwayAnswer answer;
  PATHWAY_ASSIGN_OR_RETURN(answer.person, AuthorisePerson(actor, person_id));
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(answer.snapshot, Current(*db));
  PATHWAY_ASSIGN_OR_RETURN(
      answer.vacancies, engine::ReachableVacancies(*answer.snapshot, person_id, per_region_limit));
  return answer;
}

Result<EngineChoices> EngineService::Choices(const Actor& actor) {
  if (!actor.signed_in() && actor.kind != Actor::Kind::kSystem) {
    return Error::NotFound("No such page");
  }
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto snapshot, Current(*db));
  EngineChoices choices;
  PATHWAY_ASSIGN_OR_RETURN(choices.items, store::ListItemLabels(*db));
  PATHWAY_ASSIGN_OR_RETURN(choices.departments, store::ListDepartmentNames(*db));
  PATHWAY_ASSIGN_OR_RETURN(choices.professions, store::ListProfessionNames(*db));
  for (const auto& level : snapshot->catalog().role_levels) {
    choices.role_levels.push_back({level.code, level.title});
  }
  std::sort(choices.role_levels.begin(), choices.role_levels.end(),
            [](const store::NamedCode& a, const store::NamedCode& b) { return a.code < b.code; });
  return choices;
}

Result<RoleLevelSearch> EngineService::SearchRoleLevels(const Actor& actor, std::string_view search,
                                                        int limit, std::string_view field) {
  if (!actor.signed_in() && actor.kind != Actor::Kind::kSystem) {
    return Error::NotFound("No such page");
  }
  const std::string wanted = domain::Lower(domain::Trim(search));
  if (wanted.empty()) {
    return Error::InvalidInput(std::string(field), "Enter part of a role level's code or title");
  }
  if (wanted.size() > kMaxRoleLevelSearch) {
    return Error::InvalidInput(std::string(field), "Enter a search of 200 characters or fewer");
  }
  if (limit < 1 || limit > kMaxRoleLevelHits) {
    return Error::InvalidInput("limit", "Enter a number of role levels from 1 to 50");
  }
  std::vector<std::string> words;
  for (std::size_t at = 0; at < wanted.size();) {
    const std::size_t end = std::min(wanted.find(' ', at), wanted.size());
    if (end > at) words.push_back(wanted.substr(at, end - at));
    at = end + 1;
  }
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto snapshot, Current(*db));
  const engine::Catalog& catalog = snapshot->catalog();
  struct Ranked {
    int rank;
    const engine::RoleLevelInfo* level;
  };
  std::vector<Ranked> found;
  for (const auto& level : catalog.role_levels) {
    if (level.code.empty()) continue;
    const std::string code = domain::Lower(level.code);
    const std::string title = domain::Lower(level.title);
    const bool all = std::all_of(words.begin(), words.end(), [&](const std::string& word) {
      return code.find(word) != std::string::npos || title.find(word) != std::string::npos;
    });
    if (!all) continue;
    const int rank = code == wanted              ? 0
                     : code.starts_with(wanted)  ? 1
                     : title.starts_with(wanted) ? 2
                                                 : 3;
    found.push_back({rank, &level});
  }
  std::sort(found.begin(), found.end(), [](const Ranked& a, const Ranked& b) {
    return a.rank != b.rank ? a.rank < b.rank : a.level->code < b.level->code;
  });
  RoleLevelSearch out;
  out.total = static_cast<std::int64_t>(found.size());
  for (const auto& [rank, level] : found) {
    if (out.hits.size() >= static_cast<std::size_t>(limit)) break;
    RoleLevelHit hit{level->code, level->title, {}};
    if (level->profession > 0 && level->profession <= catalog.professions.size()) {
      hit.profession = catalog.professions[level->profession - 1].code;
    }
    out.hits.push_back(std::move(hit));
  }
  return out;
}

}  // namespace pathway::app
