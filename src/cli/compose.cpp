#include "cli/compose.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/passwords.hpp"
#include "store/migrations.hpp"

namespace pathway::cli {

namespace {

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

void Core::StartEngine() {
  audit_guard->StartPeriodic(std::chrono::seconds(1));
  engine = std::make_unique<app::EngineService>(*kernel);
  carry_over = std::make_unique<app::CarryOverWorker>(*assessments);
  kernel->OnCommitted([worker = carry_over.get()](const app::Committed& committed) {
    for (const auto& event : committed.events) {
      if (event.name == "framework.published") worker->Notify();
    }
  });
}

app::Services Core::services() {
  return app::Services{*kernel,           *health,     *identity,    *frameworks,  *workforce,
                       *workforce_import, *engine,     *assessments, *performance, *recruitment,
                       *vetting,          *crosswalks, *passport};
}

domain::Result<std::unique_ptr<Core>> OpenCore(const CoreOptions& options) {
  auto core = std::make_unique<Core>();
  {
    PATHWAY_ASSIGN_OR_RETURN(auto db, store::Database::Open(options.db));
    PATHWAY_ASSIGN_OR_RETURN(auto migrated, store::Migrate(*db));
    if (migrated.from_version != migrated.to_version) {
      spdlog::info("Database {} migrated from version {} to {}", options.db, migrated.from_version,
                   migrated.to_version);
    }
    for (const std::string& note : migrated.notes) {
      spdlog::warn("Database {}: {}", options.db, note);
    }
  }
  PATHWAY_ASSIGN_OR_RETURN(core->pool,
                           store::ConnectionPool::Open(options.db, options.connections));
  const auto from_env = [](const std::string& given, const char* name,
                           const std::string& fallback) {
    if (!given.empty()) return given;
    if (const char* value = std::getenv(name); value != nullptr && *value != '\0')
      return std::string(value);
    return fallback;
  };
  PATHWAY_ASSIGN_OR_RETURN(
      core->audit_guard,
      app::AuditGuard::Open(
          *core->pool, from_env(options.audit_key, "PATHWAY_AUDIT_KEY", options.db + ".audit-key"),
          from_env(options.audit_head, "PATHWAY_AUDIT_HEAD", options.db + ".audit-head")));
  const std::filesystem::path base(options.root);
  const std::string policy_path = (base / "policy/access.csv").string();
  if (!std::filesystem::exists(policy_path)) {
    return domain::Error::Unavailable("The access policy " + policy_path + " is missing");
  }
  PATHWAY_ASSIGN_OR_RETURN(auto policy, app::Policy::Parse(ReadText(policy_path)));
  core->authorizer = std::make_unique<app::Authorizer>(std::move(policy));
  PATHWAY_ASSIGN_OR_RETURN(
      core->blocklist, app::LoadPasswordBlocklist((base / "data/common-passwords.txt").string()));
  core->kernel = std::make_unique<app::UnitOfWork>(*core->pool, *core->authorizer, core->clock);
  core->health = std::make_unique<app::Service>(*core->pool);
  core->identity = std::make_unique<app::IdentityService>(*core->kernel, core->blocklist,
                                                          core->throttle, options.sessions);
  core->frameworks = std::make_unique<app::FrameworkService>(*core->kernel);
  // The published frameworks' cache (the CASE API) is dropped on publish and retire.
  core->kernel->OnCommitted([service = core->frameworks.get()](const app::Committed& committed) {
    for (const auto& event : committed.events) {
      if (app::FrameworkService::ChangesPublished(event.name)) {
        service->ForgetPublished();
        return;
      }
    }
  });
  core->workforce = std::make_unique<app::WorkforceService>(*core->kernel);
  core->workforce_import = std::make_unique<app::WorkforceImportService>(*core->kernel);
  core->assessments = std::make_unique<app::AssessmentService>(*core->kernel);
  core->performance = std::make_unique<app::PerformanceService>(*core->kernel);
  core->recruitment = std::make_unique<app::RecruitmentService>(*core->kernel);
  core->crosswalks = std::make_unique<app::CrosswalkService>(*core->kernel, *core->frameworks);
  std::string passport_keys = options.passport_keys;
  if (passport_keys.empty()) {
    const char* env = std::getenv("PATHWAY_PASSPORT_KEYS");
    passport_keys = env != nullptr && *env != '\0' ? env : options.db + ".passport-keys";
  }
  core->passport = std::make_unique<app::PassportService>(*core->kernel, passport_keys);
  std::shared_ptr<const app::VettingKey> vetting_key;
  if (!options.vetting_key.empty()) {
    PATHWAY_ASSIGN_OR_RETURN(auto key, app::VettingKey::Load(options.vetting_key));
    vetting_key = std::make_shared<const app::VettingKey>(std::move(key));
  }
  core->vetting = std::make_unique<app::VettingService>(*core->kernel, std::move(vetting_key));
  return core;
}

}  // namespace pathway::cli
