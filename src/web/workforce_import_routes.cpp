#include "web/workforce_import_routes.hpp"

#include <memory>
#include <optional>
#include <tuple>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/secrets.hpp"
#include "app/workforce_import.hpp"
#include "interchange/workforce_csv.hpp"
#include "web/auth.hpp"
#include "web/forms.hpp"
#include "web/multipart.hpp"
#include "web/pages.hpp"

namespace pathway::web {
namespace {

using domain::Error;
using interchange::WorkforceFileKind;
using nlohmann::json;
using Ctx = std::shared_ptr<const WorkforceImportRoutesContext>;

constexpr std::string_view kTitle = "Import the workforce";
constexpr std::string_view kAction = "workforce.import";
// The error summary lists at most this many problems; the command line lists them all.
constexpr std::size_t kMaxProblemsShown = 200;

Response Page(const Ctx& c, const app::Actor& actor, const std::string& page, const json& view,
              int status = 200) {
  const bool has_errors = view.value("has_errors", false);
  return Response::Html(status, RenderPage(c->templates, c->asset_base, page, std::string(kTitle),
                                           view, has_errors, ChromeFor(actor, "import")));
}

json FormView(const app::Actor& actor, std::string_view kind) {
  json options = json::array();
  for (const auto& [value, label, hint] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"org", "Organisation", "Departments, units and locations"},
           {"roles", "Professions and roles",
            "Professions, job families, roles and role levels with what each level needs"},
           {"posts", "Posts", "Posts with their role level, unit, location and grade"},
           {"people", "People",
            "People with their grade, department, profession, post and line manager"}}) {
    // The first radio takes the field's id, so that the error summary's link reaches it.
    options.push_back({{"id", options.empty() ? "kind" : "kind-" + value},
                       {"value", value},
                       {"label", label},
                       {"hint", hint},
                       {"checked", value == kind}});
  }
  return {{"kind_options", options},
          {"max_mb", kMaxWorkforceUpload / (1024 * 1024)},
          {"csrf_token", actor.csrf_token}};
}

// Whether the actor may import some rows: everything (administrators) or a department's
// (HR partners, as the policy says). The import then refuses rows outside their scope.
domain::Status MayImport(const Ctx& c, const app::Actor& actor) {
  for (const auto& grant : actor.grants) {
    if (grant.scope.empty()) continue;
    app::Subject subject;
    subject.department = grant.scope;
    auto allowed = c->identity.May(actor, kAction, subject);
    if (!allowed.ok()) return allowed.error();
    if (*allowed) return domain::Ok{};
  }
  return c->identity.Check(actor, kAction, {});
}

void Register(Router& router, const Ctx& c) {
  router.Add("GET", "/admin/import", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    if (auto allowed = MayImport(c, actor); !allowed.ok()) {
      return c->errors.ForError(request, allowed.error());
    }
    json view = FormView(actor, "");
    AddErrors(view, {});
    return Page(c, actor, "workforce_import", view);
  });
  router.SetAction(std::string(kAction));

  router.Add("POST", "/admin/import", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    // The policy first: someone who may not import learns nothing from the upload.
    if (auto allowed = MayImport(c, actor); !allowed.ok()) {
      return c->errors.ForError(request, allowed.error());
    }
    std::string csrf_from_form;
    const bool multipart = request.Header("content-type").starts_with("multipart/form-data");
    auto parts = multipart ? ParseMultipart(request.Header("content-type"), request.body)
                           : domain::Result<std::vector<FormPart>>(std::vector<FormPart>{});
    if (!parts.ok()) return c->errors.ForBadRequest(request, parts.error());
    if (!multipart) {
      auto form = ParseForm(request.body);
      if (!form.ok()) return c->errors.ForBadRequest(request, form.error());
      if (form->contains("csrf-token")) csrf_from_form = (*form)["csrf-token"];
    }
    std::string token = csrf_from_form;
    std::string kind_name;
    const FormPart* file = nullptr;
    for (const auto& part : *parts) {
      if (part.name == "csrf-token") token = std::string(part.data);
      if (part.name == "kind") kind_name = std::string(part.data);
      if (part.name == "file") file = &part;
    }
    if (!FromOurOrigin(request) || actor.csrf_token.empty() ||
        !app::ConstantTimeEquals(token, actor.csrf_token)) {
      c->identity.RecordRefusal(actor, "csrf", "POST /admin/import");
      return c->errors.ForStatus(request, 403);
    }
    std::vector<Error> errors;
    const auto kind = interchange::ParseWorkforceFileKind(kind_name);
    if (!kind) errors.push_back(Error::InvalidInput("kind", "Select what the file holds"));
    if (file == nullptr || file->data.empty()) {
      errors.push_back(Error::InvalidInput("file", "Select a CSV file to import"));
    }
    auto refuse = [&](const std::vector<Error>& problems) {
      json view = FormView(actor, kind_name);
      AddErrors(view, problems);
      return Page(c, actor, "workforce_import", view, 422);
    };
    if (!errors.empty()) return refuse(errors);

    const std::string filename = file->filename.empty() ? "The file" : file->filename;
    app::WorkforceImportOptions options;
    options.max_problems = kMaxProblemsShown;
    auto report = c->workforce_import.Import(
        actor, *kind, file->data, file->filename.empty() ? "an upload" : file->filename, options);
    if (!report.ok()) return c->errors.ForError(request, report.error());
    if (!report->ok()) {
      // Every problem, each linking to the file input, with where it is in the file.
      for (const auto& problem : report->problems) {
        errors.push_back(Error::InvalidInput(
            "file", fmt::format("{}: {}", filename, interchange::FormatImportProblem(problem))));
      }
      return refuse(errors);
    }
    json counts = json::array();
    for (const auto& count : report->counts) {
      counts.push_back({{"what", count.what},
                        {"inserted", count.inserted},
                        {"updated", count.updated},
                        {"unchanged", count.unchanged}});
    }
    json view{{"filename", filename},
              {"rows", report->rows},
              {"counts", counts},
              {"kind", std::string(interchange::WorkforceFileKindName(*kind))}};
    return Page(c, actor, "workforce_import_done", view);
  });
  router.SetAction(std::string(kAction));
  router.SetMaxBody(kMaxWorkforceUpload + 64 * 1024);
}

}  // namespace

void RegisterWorkforceImportRoutes(Router& router, const WorkforceImportRoutesContext& context) {
  Register(router, std::make_shared<const WorkforceImportRoutesContext>(context));
}

}  // namespace pathway::web
