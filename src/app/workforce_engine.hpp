// The workforce engine's use cases: rank people against requirements (talent.match),
// capability maps of supply against demand (capability.read) and a person's career
// pathways (pathway.read). Each asks the access policy, then answers from the in-memory
// index (engine::Index), which EngineService loads from the store and keeps current.
//
// Scoping. Rankings and maps hold only people the actor may see: an HR partner's
// departments, a head of profession's professions, everyone for an administrator or the
// system. The actor's filters apply inside that scope and never widen it; an actor who
// holds both kinds of grant sees the union of the two scopes. An actor with no grant for
// the action gets kNotFound, as for a page that does not exist, and the refusal is
// audited. A person's pathways follow pathway.read on that person (themselves, their
// line manager's chain, their department's HR partners, administrators).
//
// Keeping current. Every process that writes the workforce bumps the change counter
// (store/workforce_change.hpp) in its write transaction and logs what it changed. Before
// each query the service reads the counter (one indexed read); when it has moved since
// the index was loaded, the query brings the index up to date before it answers: if the
// log says only some people changed (their records or assessments), it reloads just
// those people and replaces them in the index in one copy-on-write write
// (Index::ReplacePeople); otherwise (reference data changed, too many people, or the
// index is older than the log keeps) it rebuilds the whole index from the store.
// Incremental updates are serialised: queries that find the index behind wait for the
// one under way and then answer from it, so they see every write committed before they
// started.
//
// Full rebuilds do not stop the world. A rebuild runs on a thread of its own over a
// connection of its own and builds a new index from one read transaction; meanwhile
// queries answer from the current snapshot. When the load is done, the writes committed
// since it began are replayed onto the new index from the change log (the people who
// changed are reloaded), the last of them while holding the update lock, and the new
// index is swapped in. A write during the rebuild that itself needs a full rebuild
// starts the load again (at most kRebuildAttempts times, then the index is swapped in
// as far as it got and the next query starts another). While a rebuild runs, a query
// waits for it only when the index is small (EngineOptions::wait_for_rebuilds_below_people,
// 100,000 by default), where a rebuild takes milliseconds: a small workforce keeps "every
// write committed before the query", a large one keeps answering within milliseconds
// from a snapshot that is at most one rebuild behind.
// The first load (no snapshot yet) is made on the caller's thread. Queries already
// answering keep the snapshot they took: an update never blocks or changes them.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "app/clock.hpp"
#include "app/policy.hpp"
#include "app/store_handles.hpp"
#include "app/unit_of_work.hpp"
#include "domain/result.hpp"
#include "domain/workforce_labels.hpp"
#include "engine/index.hpp"
#include "engine/queries.hpp"

namespace pathway::app {

using domain::Result;
using domain::Status;

// Which engine pages the actor may open (hints for navigation; each use case asks the
// policy again).
struct EngineAccess {
  bool match = false;       // talent.match with some scope
  bool capability = false;  // capability.read with some scope
};

// A ranking and what it needs to be read: the people's names and the items' titles.
struct MatchAnswer {
  std::shared_ptr<const engine::Snapshot> snapshot;  // the index state it was answered from
  engine::MatchResult result;
  bool closest_to_ready = false;
  std::unordered_map<std::int64_t, domain::PersonLabel> people;  // by person id
  std::unordered_map<std::string, std::string> item_titles;      // by item UUID
};

struct CapabilityAnswer {
  std::shared_ptr<const engine::Snapshot> snapshot;
  engine::CapabilityMap map;
  std::unordered_map<std::string, std::string> names;        // department/profession names
  std::unordered_map<std::string, std::string> item_titles;  // by item UUID
};

// A person's pathways: the routes to a target, the roles they are closest to now and the
// vacancies within two moves. Parts not asked for are left empty.
struct PathwayAnswer {
  std::shared_ptr<const engine::Snapshot> snapshot;
  domain::PersonLabel person;
  engine::RouteResult routes;
  std::vector<engine::RoleFit> closest_roles;
  std::vector<engine::RegionVacancies> vacancies;
  std::unordered_map<std::string, std::string> item_titles;
};

// Role levels whose code or title hold every word of a search, best first: the code
// itself, then codes and then titles that start with the search, then the rest, each by
// code. `total` counts every match, `hits` holds at most the limit asked for.
struct RoleLevelHit {
  std::string code;
  std::string title;
  std::string profession;  // the profession's code; empty if unknown
};
struct RoleLevelSearch {
  std::vector<RoleLevelHit> hits;
  std::int64_t total = 0;
};
inline constexpr int kMaxRoleLevelHits = 50;
inline constexpr std::size_t kMaxRoleLevelSearch = 200;  // characters of a search

// What the forms offer: items with titles, departments and professions with names, and
// role levels (code, title) from the index.
struct EngineChoices {
  std::vector<domain::ItemLabel> items;
  std::vector<domain::NamedCode> departments;
  std::vector<domain::NamedCode> professions;
  std::vector<domain::NamedCode> role_levels;  // code, title; by code
};

// How the index has been kept current since the service started.
struct EngineStats {
  std::int64_t full_reloads = 0;         // whole index loaded from the store (the first load too)
  std::int64_t incremental_updates = 0;  // brought up to date from the change log alone
  std::int64_t people_replaced = 0;      // people reloaded by incremental updates, in all
  std::int64_t rebuilds = 0;             // full rebuilds finished in the background
  std::int64_t replayed_people = 0;      // people replayed onto rebuilt indexes, in all
  std::int64_t stale_answers = 0;        // queries answered while a rebuild was under way
  double last_full_load_seconds = 0;     // how long the latest full load took
};

struct EngineOptions {
  // While a rebuild runs, queries wait for it when the current index holds fewer people
  // than this (a rebuild then takes milliseconds, and the next query sees every write
  // committed before it); with more, they answer from the current snapshot.
  std::int64_t wait_for_rebuilds_below_people = 100'000;
  // Called on the rebuild thread after the new index is loaded and before the writes
  // committed meanwhile are replayed (tests use it to write during a rebuild).
  std::function<void()> after_rebuild_load;
};

// Thread-safe: queries run concurrently on their own leased connections and snapshots.
class EngineService {
 public:
  // Loads the index from the store. If that fails (the database did not answer, or is
  // not migrated yet) the service starts empty and the next query tries again.
  // Reads of a person's pathways are authorised and audited by `kernel`.
  explicit EngineService(UnitOfWork& kernel, EngineOptions options = {});
  // Waits for a rebuild under way to finish.
  ~EngineService();
  EngineService(const EngineService&) = delete;
  EngineService& operator=(const EngineService&) = delete;

  EngineAccess AccessOf(const Actor& actor) const;

  // The top k people for a role level's requirements or an ad-hoc list (talent.match),
  // best first, each with has/needs per requirement.
  Result<MatchAnswer> Match(const Actor& actor, engine::MatchQuery query);
  // People not yet meeting every requirement, smallest total gap first (talent.match).
  Result<MatchAnswer> ClosestToReady(const Actor& actor, engine::MatchQuery query);

  // Supply and demand by two dimensions (capability.read). Supply counts only people in
  // the actor's scope; demand counts posts of the same departments or professions.
  Result<CapabilityAnswer> MapCapability(const Actor& actor, engine::CapabilityQuery query);

  // pathway.read on query.person_id. kNotFound for a missing person or one the actor
  // may not read.
  Result<PathwayAnswer> BestRoutes(const Actor& actor, const engine::RouteQuery& query);
  Result<PathwayAnswer> ClosestRoles(const Actor& actor, std::int64_t person_id, int k);
  Result<PathwayAnswer> ReachableVacancies(const Actor& actor, std::int64_t person_id,
                                           int per_region_limit);
  // The person's label only, after the same check (for a page's heading and form).
  Result<PathwayAnswer> PathwayPerson(const Actor& actor, std::int64_t person_id);

  // Reference data for the forms; anyone signed in.
  Result<EngineChoices> Choices(const Actor& actor);
  // Role levels matching `search` (anyone signed in; role levels are not personal data).
  // kInvalidInput (field `field`) for an empty or overlong search or a limit outside
  // 1..kMaxRoleLevelHits.
  Result<RoleLevelSearch> SearchRoleLevels(const Actor& actor, std::string_view search, int limit,
                                           std::string_view field = "q");

  // The live index, for in-process writes (Index's incremental methods). A write applied
  // here is visible to the next query; the change counter must still be bumped for other
  // servers.
  engine::Index& index() { return *index_; }

  // Brings the index up to date now if the change counter has moved (from the change
  // log, or by a full reload); what every query does first. Returns the snapshot to
  // answer from. kUnavailable if the store did not answer.
  Result<std::shared_ptr<const engine::Snapshot>> Current(store::Database& db);

  // Starts a full rebuild in the background (nothing if one is under way); queries keep
  // answering meanwhile. What a full change in the log does on the next query.
  void StartRebuild();
  // Waits until no rebuild is under way (tests, benchmarks, shutdown).
  void WaitForRebuild();
  bool rebuilding() const { return rebuilding_.load(); }

  // The change-counter generation the index was last brought up to (0: never loaded).
  std::int64_t loaded_generation() const { return loaded_generation_.load(); }

  // How the index was kept current: counts of full reloads and incremental updates.
  EngineStats stats() const;

 private:
  struct Scope;
  std::optional<Scope> ScopeFor(const Actor& actor, std::string_view action) const;
  Result<domain::PersonLabel> AuthorisePerson(const Actor& actor, std::int64_t person_id);
  Result<MatchAnswer> Rank(const Actor& actor, engine::MatchQuery query, bool closest);
  domain::Error Refuse(store::Database& db, const Actor& actor, std::string_view action,
                       std::string_view object_type, std::string_view object_id,
                       std::string message);

  UnitOfWork& kernel_;
  store::ConnectionPool& pool_;
  const Authorizer& authorizer_;
  const Clock& clock_;
  std::unique_ptr<engine::Index> index_;
  // Applies logged changes by reloading only the people who changed. False (and nothing
  // applied) when they need a full reload instead.
  bool UpdateFromLog(store::Database& db, const store::WorkforceChanges& changes);

  // The background rebuild: load, replay, swap (see the top of this file).
  void Rebuild();
  // Replays the changes after `since` onto `fresh`. False when they need a full load.
  bool Replay(store::Database& db, engine::Index& fresh, std::int64_t& since);
  // With reload_mutex_ held: starts the rebuild thread unless one runs.
  void StartRebuildLocked();
  // Waits for a rebuild under way if the index is small; true if none is under way.
  bool MaybeWaitForRebuild();

  EngineOptions options_;
  std::atomic<std::int64_t> loaded_generation_{0};
  std::mutex reload_mutex_;  // serialises updates (incremental or full) and the swap
  std::atomic<bool> rebuilding_{false};
  std::mutex rebuild_mutex_;  // guards rebuild_thread_; with rebuilt_, the end of a rebuild
  std::condition_variable rebuilt_;
  std::thread rebuild_thread_;
  std::atomic<std::int64_t> last_full_load_us_{0};
  std::atomic<std::int64_t> rebuilds_{0};
  std::atomic<std::int64_t> replayed_people_{0};
  std::atomic<std::int64_t> stale_answers_{0};
  std::atomic<std::int64_t> full_reloads_{0};
  std::atomic<std::int64_t> incremental_updates_{0};
  std::atomic<std::int64_t> people_replaced_{0};
};

}  // namespace pathway::app
