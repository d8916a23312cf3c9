// Every service of the application, built once by the composition root (cli/compose.cpp)
// and handed to the web routes, which never build one themselves.
#pragma once

#include "app/assessments.hpp"
#include "app/crosswalks.hpp"
#include "app/frameworks.hpp"
#include "app/identity.hpp"
#include "app/passport.hpp"
#include "app/performance.hpp"
#include "app/recruitment.hpp"
#include "app/service.hpp"
#include "app/unit_of_work.hpp"
#include "app/vetting.hpp"
#include "app/workforce.hpp"
#include "app/workforce_engine.hpp"
#include "app/workforce_import.hpp"

namespace pathway::app {

// References to services owned by the composition root, which outlive every route.
struct Services {
  UnitOfWork& kernel;
  Service& health;
  IdentityService& identity;
  FrameworkService& frameworks;
  WorkforceService& workforce;
  WorkforceImportService& workforce_import;
  EngineService& engine;
  AssessmentService& assessments;
  PerformanceService& performance;
  RecruitmentService& recruitment;
  VettingService& vetting;
  CrosswalkService& crosswalks;
  PassportService& passport;
};

}  // namespace pathway::app
