// The composition root: every service is built here, once, and handed down. Commands
// take what they need from Core; `pathway serve` also builds the engine and hands
// Services to the web routes.
#pragma once

#include <memory>
#include <string>

#include "app/assessments.hpp"
#include "app/audit_guard.hpp"
#include "app/clock.hpp"
#include "app/crosswalks.hpp"
#include "app/frameworks.hpp"
#include "app/identity.hpp"
#include "app/passport.hpp"
#include "app/performance.hpp"
#include "app/policy.hpp"
#include "app/recruitment.hpp"
#include "app/service.hpp"
#include "app/services.hpp"
#include "app/throttle.hpp"
#include "app/unit_of_work.hpp"
#include "app/vetting.hpp"
#include "app/workforce.hpp"
#include "app/workforce_engine.hpp"
#include "app/workforce_import.hpp"
#include "domain/password_policy.hpp"
#include "domain/result.hpp"
#include "store/database.hpp"

namespace pathway::cli {

// Owns the store, the policy, the kernel and the services. Members are destroyed in
// reverse order: the services, then the kernel (which writes its pending read audits),
// then the pool.
struct Core {
  std::unique_ptr<store::ConnectionPool> pool;
  // Destroyed after the kernel (which writes its pending read audits), so that its last
  // checkpoint includes them.
  std::unique_ptr<app::AuditGuard> audit_guard;
  std::unique_ptr<app::Authorizer> authorizer;
  domain::PasswordBlocklist blocklist;
  app::SystemClock clock;
  app::SignInThrottle throttle;
  std::unique_ptr<app::UnitOfWork> kernel;
  std::unique_ptr<app::Service> health;
  std::unique_ptr<app::IdentityService> identity;
  std::unique_ptr<app::FrameworkService> frameworks;
  std::unique_ptr<app::WorkforceService> workforce;
  std::unique_ptr<app::WorkforceImportService> workforce_import;
  std::unique_ptr<app::AssessmentService> assessments;
  std::unique_ptr<app::PerformanceService> performance;
  std::unique_ptr<app::RecruitmentService> recruitment;
  std::unique_ptr<app::PassportService> passport;
  std::unique_ptr<app::CrosswalkService> crosswalks;
  std::unique_ptr<app::VettingService> vetting;
  // Built only by StartEngine: loading the index is work a one-off command does not need.
  std::unique_ptr<app::EngineService> engine;
  // Built by StartEngine too: carries levels over to newly published framework versions.
  std::unique_ptr<app::CarryOverWorker> carry_over;

  // Builds the engine (loading the workforce index), and the worker that carries
  // people's levels over to each newly published framework version (resuming any run a
  // crash stopped).
  void StartEngine();
  // Every service, for the routes. Call StartEngine first.
  app::Services services();
};

struct CoreOptions {
  std::string db;    // the SQLite file, migrated if needed
  std::string root;  // the folder holding policy/ and data/
  int connections = 1;
  app::SessionSettings sessions;
  // The file holding the key that encrypts vetting case notes; empty: none (notes are
  // then unavailable).
  std::string vetting_key;
  // The audit chain's key and head checkpoint (app/audit_guard.hpp); empty: from
  // PATHWAY_AUDIT_KEY and PATHWAY_AUDIT_HEAD, else beside the database (DB.audit-key,
  // DB.audit-head).
  std::string audit_key;
  std::string audit_head;
  // The folder of departments' passport signing keys (DEPARTMENT.key) for credentials
  // issued from pages and the API; empty: PATHWAY_PASSPORT_KEYS, else beside the database
  // (DB.passport-keys). A missing folder means no department can issue from the pages.
  std::string passport_keys;
};

// Migrates the database, loads the policy and the password block-list, and builds the
// services. kUnavailable when the database or the policy cannot be read.
domain::Result<std::unique_ptr<Core>> OpenCore(const CoreOptions& options);

}  // namespace pathway::cli
