// Crosswalks: framework authors link an item of their framework to an item of another
// framework (or of another version) as the same, broader, narrower or related. Exported
// with the framework's CASE package as associations; read by the passport import and the
// gap analysis (app/passport.cpp, app/assessments.cpp), where only "same as" carries a
// level across. Policy: framework.read to see them, framework.edit on the framework whose
// item is the origin to add or remove one.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/frameworks.hpp"
#include "app/policy.hpp"
#include "app/unit_of_work.hpp"
#include "domain/crosswalk.hpp"
#include "domain/framework.hpp"
#include "domain/result.hpp"

namespace pathway::app {

struct Crosswalk {
  std::string id;
  std::string item_id;
  std::string item_title;
  domain::CrosswalkKind kind = domain::CrosswalkKind::kSame;
  std::string target_framework_id;
  std::string target_framework_title;
  std::string target_item_id;
  std::string target_item_title;
  std::string notes;
  std::string created_at;
};

struct NewCrosswalk {
  std::string item_id;         // an item of the framework (any version)
  std::string kind;            // same, broader, narrower, related
  std::string target_item_id;  // an item of a published version of any framework
  std::string notes;           // optional, one line, at most 500 characters
};

class CrosswalkService {
 public:
  CrosswalkService(UnitOfWork& kernel, FrameworkService& frameworks)
      : kernel_(kernel), frameworks_(frameworks) {}

  // The framework's crosswalks; kNotFound when the actor may not read the framework.
  Result<std::vector<Crosswalk>> List(const Actor& actor, const std::string& framework_id);
  // Adds one; problems name the field (item, kind, target, notes). The id is new.
  Result<Crosswalk> Add(const Actor& actor, const std::string& framework_id,
                        const NewCrosswalk& input);
  Status Remove(const Actor& actor, const std::string& framework_id, const std::string& id);

  // `framework` with its crosswalks appended to its kept associations (for a CASE
  // export): origin its own item, destination the target item under `base_uri`.
  Result<domain::Framework> WithCrosswalks(domain::Framework framework,
                                           const std::string& base_uri);

 private:
  UnitOfWork& kernel_;
  FrameworkService& frameworks_;
};

}  // namespace pathway::app
