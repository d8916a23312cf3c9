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
// (store/workforce_change.hpp) in its write transaction. Before each query the service
// reads the counter (one indexed read); when it has moved since the index was loaded,
// the query reloads the whole index from the store before it answers. Reloads are
// serialised: queries that find the index behind wait for the one reload under way and
// then answer from it, so every query sees every write committed before it started.
// Queries that find the index current never wait, not even for a reload started later.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/clock.hpp"
#include "app/policy.hpp"
#include "domain/result.hpp"
#include "engine/index.hpp"
#include "engine/queries.hpp"
#include "store/database.hpp"
#include "store/workforce_labels.hpp"

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
  std::unordered_map<std::int64_t, store::PersonLabel> people;  // by person id
  std::unordered_map<std::string, std::string> item_titles;     // by item UUID
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
  store::PersonLabel person;
  engine::RouteResult routes;
  std::vector<engine::RoleFit> closest_roles;
  std::vector<engine::RegionVacancies> vacancies;
  std::unordered_map<std::string, std::string> item_titles;
};

// What the forms offer: items with titles, departments and professions with names, and
// role levels (code, title) from the index.
struct EngineChoices {
  std::vector<store::ItemLabel> items;
  std::vector<store::NamedCode> departments;
  std::vector<store::NamedCode> professions;
  std::vector<store::NamedCode> role_levels;  // code, title; by code
};

// Thread-safe: queries run concurrently on their own leased connections and snapshots.
class EngineService {
 public:
  // Loads the index from the store. If that fails (the database did not answer, or is
  // not migrated yet) the service starts empty and the next query tries again.
  EngineService(store::ConnectionPool& pool, const Authorizer& authorizer, const Clock& clock);

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

  // The live index, for in-process writes (Index's incremental methods). A write applied
  // here is visible to the next query; the change counter must still be bumped for other
  // servers.
  engine::Index& index() { return *index_; }

  // Reloads the index now if the change counter has moved; what every query does first.
  // Returns the snapshot to answer from. kUnavailable if the store did not answer.
  Result<std::shared_ptr<const engine::Snapshot>> Current(store::Database& db);

  // The change-counter generation the index was last loaded at (0: never loaded).
  std::int64_t loaded_generation() const { return loaded_generation_.load(); }

 private:
  struct Scope;
  std::optional<Scope> ScopeFor(const Actor& actor, std::string_view action) const;
  Result<store::PersonLabel> AuthorisePerson(store::Database& db, const Actor& actor,
                                             std::int64_t person_id);
  Result<MatchAnswer> Rank(const Actor& actor, engine::MatchQuery query, bool closest);
  domain::Error Refuse(store::Database& db, const Actor& actor, std::string_view action,
                       std::string_view object_type, std::string_view object_id,
                       std::string message);

  store::ConnectionPool& pool_;
  const Authorizer& authorizer_;
  const Clock& clock_;
  std::unique_ptr<engine::Index> index_;
  std::atomic<std::int64_t> loaded_generation_{0};
  std::mutex reload_mutex_;  // serialises reloads
};

}  // namespace pathway::app
