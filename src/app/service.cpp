#include "app/service.hpp"

#include "store/migrations.hpp"

namespace pathway::app {

Result<HealthReport> Service::CheckHealth() {
  auto db = pool_.Acquire();
  auto version = store::SchemaVersion(*db);
  if (!version.ok()) {
    return domain::Error::Unavailable("The database did not answer: " + version.error().message);
  }
  return HealthReport{*version};
}

}  // namespace pathway::app
