#include "app/crosswalks.hpp"

#include <array>
#include <cstdint>

#include <fmt/format.h>
#include <sodium.h>

#include "domain/text.hpp"
#include "store/crosswalks.hpp"
#include "store/frameworks.hpp"

namespace pathway::app {

using domain::Error;
using domain::ErrorCode;

namespace {

constexpr std::string_view kEdit = "framework.edit";

Crosswalk FromRow(store::CrosswalkRow row) {
  return {std::move(row.id),
          std::move(row.item_id),
          std::move(row.item_title),
          row.kind,
          std::move(row.target_framework_id),
          std::move(row.target_framework_title),
          std::move(row.target_item_id),
          std::move(row.target_item_title),
          std::move(row.notes),
          std::move(row.created_at)};
}

std::string NewId() {
  std::array<std::uint8_t, 16> random{};
  randombytes_buf(random.data(), random.size());
  return domain::RandomUuid(random);
}

}  // namespace

Result<std::vector<Crosswalk>> CrosswalkService::List(const Actor& actor,
                                                      const std::string& framework_id) {
  // Whoever may see some version of the framework may see its crosswalks.
  PATHWAY_TRY(frameworks_.Versions(actor, framework_id));
  auto db = kernel_.pool().Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto rows, store::ListCrosswalks(*db, framework_id));
  std::vector<Crosswalk> out;
  out.reserve(rows.size());
  for (auto& row : rows) out.push_back(FromRow(std::move(row)));
  return out;
}

Result<Crosswalk> CrosswalkService::Add(const Actor& actor, const std::string& framework_id,
                                        const NewCrosswalk& input) {
  Command command{std::string(kEdit), "framework", framework_id, "No such framework"};
  return kernel_.Execute(
      actor, command, FrameworkService::OfFramework(framework_id),
      [&](Tx& tx) -> Result<Crosswalk> {
        // Authorised first (someone who may not author the framework learns nothing), then the
        // input, then what depends on stored state.
        const std::optional<domain::CrosswalkKind> kind = domain::ParseCrosswalkKind(input.kind);
        if (!kind) {
          return Error::InvalidInput("kind",
                                     "Choose how the items relate: same as, broader than, "
                                     "narrower than or related to");
        }
        if (!domain::ValidUuid(input.item_id)) {
          return Error::InvalidInput("item", "Choose an item of this framework");
        }
        if (!domain::ValidUuid(input.target_item_id)) {
          return Error::InvalidInput("target", "Choose the item of the other framework");
        }
        if (input.item_id == input.target_item_id) {
          return Error::InvalidInput("target", "An item cannot be crosswalked to itself");
        }
        if (auto problem = domain::FindTextProblem(input.notes, domain::LineBreaks::kRefused)) {
          return Error::InvalidInput("notes", domain::DescribeTextProblem(*problem, "Notes"));
        }
        if (domain::CharacterCount(input.notes) > domain::kMaxCrosswalkNotes) {
          return Error::InvalidInput("notes", fmt::format("Notes must be {} characters or fewer",
                                                          domain::kMaxCrosswalkNotes));
        }
        PATHWAY_ASSIGN_OR_RETURN(auto origin, store::FindItemOwner(tx.db(), input.item_id));
        if (!origin || origin->framework_id != framework_id) {
          return Error::InvalidInput("item", "Choose an item of this framework");
        }
        PATHWAY_ASSIGN_OR_RETURN(auto target, store::FindItemOwner(tx.db(), input.target_item_id));
        if (!target || !target->published) {
          return Error::InvalidInput(
              "target", "Choose an item of a published framework: this one is not published");
        }
        PATHWAY_ASSIGN_OR_RETURN(
            bool exists, store::CrosswalkExists(tx.db(), input.item_id, input.target_item_id));
        if (exists) {
          return Error{
              ErrorCode::kConflict, "target",
              fmt::format("‘{}’ is already crosswalked to ‘{}’", origin->title, target->title)};
        }
        store::CrosswalkRow row;
        row.id = NewId();
        row.framework_id = framework_id;
        row.item_id = input.item_id;
        row.kind = *kind;
        row.target_framework_id = target->framework_id;
        row.target_item_id = input.target_item_id;
        row.notes = input.notes;
        PATHWAY_TRY(store::InsertCrosswalk(tx.db(), row, tx.actor().person_id, tx.now()));
        PATHWAY_ASSIGN_OR_RETURN(auto stored, store::FindCrosswalk(tx.db(), row.id));
        tx.Describe(fmt::format("crosswalk {}: ‘{}’ {} ‘{}’ ({})", row.id, origin->title,
                                domain::CrosswalkKindPhrase(*kind), target->title,
                                target->framework_title));
        tx.Emit("framework.crosswalk_added", row.id);
        return FromRow(std::move(*stored));
      });
}

Status CrosswalkService::Remove(const Actor& actor, const std::string& framework_id,
                                const std::string& id) {
  Command command{std::string(kEdit), "framework", framework_id, "No such framework"};
  return kernel_.Execute(
      actor, command, FrameworkService::OfFramework(framework_id), [&](Tx& tx) -> Status {
        PATHWAY_ASSIGN_OR_RETURN(auto row, store::FindCrosswalk(tx.db(), id));
        if (!row || row->framework_id != framework_id) {
          return Error{
              ErrorCode::kConflict, "crosswalk",
              "There is no such crosswalk in this framework: it may have been removed already"};
        }
        PATHWAY_TRY(store::DeleteCrosswalk(tx.db(), id));
        tx.Describe(fmt::format("crosswalk {} removed: ‘{}’ {} ‘{}’", id, row->item_title,
                                domain::CrosswalkKindPhrase(row->kind), row->target_item_title));
        tx.Emit("framework.crosswalk_removed", id);
        return domain::Ok{};
      });
}

Result<domain::Framework> CrosswalkService::WithCrosswalks(domain::Framework framework,
                                                           const std::string& base_uri) {
  auto db = kernel_.pool().Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto rows, store::ListCrosswalks(*db, framework.id));
  std::string base = base_uri;
  if (!base.empty() && base.back() == '/') base.pop_back();
  for (const auto& row : rows) {
    const domain::Item* item = nullptr;
    for (const auto& cluster : framework.clusters) {
      for (const auto& candidate : cluster.items) {
        if (candidate.id == row.item_id) item = &candidate;
      }
    }
    if (item == nullptr) continue;  // the item is not in this version
    domain::Association link;
    link.id = row.id;
    link.type = std::string(domain::CrosswalkCaseType(row.kind));
    link.origin = {row.item_id, "", item->title, ""};
    link.destination = {row.target_item_id, base + "/CFItems/" + row.target_item_id,
                        row.target_item_title, "CASE"};
    link.notes = row.notes;
    framework.associations.push_back(std::move(link));
  }
  return framework;
}

}  // namespace pathway::app
