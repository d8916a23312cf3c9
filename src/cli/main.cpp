// The `pathway` command: serve, migrate. Parses flags and environment, wires the
// layers together, and turns results into exit codes. No business rules here.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>
#include <thread>

#include <spdlog/async.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "app/clock.hpp"
#include "app/demo.hpp"
#include "app/frameworks.hpp"
#include "app/identity.hpp"
#include "app/passwords.hpp"
#include "app/policy.hpp"
#include "app/service.hpp"
#include "app/throttle.hpp"
#include "app/vetting.hpp"
#include "app/workforce_bench.hpp"
#include "app/workforce_import.hpp"
#include "cli/compose.hpp"
#include "cli/mailer.hpp"
#include "interchange/case_json.hpp"
#include "interchange/framework_csv.hpp"
#include "interchange/framework_document.hpp"
#include "interchange/json_field.hpp"
#include "interchange/workforce_csv.hpp"
#include "store/database.hpp"
#include "store/identity.hpp"
#include "store/migrations.hpp"
#include "store/workforce_reference.hpp"
#include "web/assets.hpp"
#include "web/errors.hpp"
#include "web/metrics.hpp"
#include "web/router.hpp"
#include "web/server.hpp"
#include "web/site.hpp"
#include "web/templates.hpp"

namespace {

using namespace pathway;

int Fail(const domain::Error& error) {
  spdlog::error("{}", error.message);
  return 1;
}

// Applies pending migrations to the database at `path`, creating the file if needed.
domain::Result<store::MigrationReport> MigrateFile(const std::string& path, int up_to) {
  PATHWAY_ASSIGN_OR_RETURN(auto db, store::Database::Open(path));
  return store::MigrateTo(*db, up_to);
}

domain::Result<std::string> ReadOpenApi(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return domain::Error::Unavailable("Could not read the OpenAPI document " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (!nlohmann::json::accept(text.str())) {
    return domain::Error::Internal("The OpenAPI document " + path + " is not valid JSON");
  }
  return text.str();
}

void SetUpAccessLog(const std::string& where) {
  if (where == "off") return;
  spdlog::init_thread_pool(8192, 1);
  std::shared_ptr<spdlog::logger> logger;
  if (where == "-") {
    logger = spdlog::create_async<spdlog::sinks::stdout_sink_mt>("access");
  } else {
    logger = spdlog::create_async<spdlog::sinks::basic_file_sink_mt>("access", where);
  }
  logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","log":"access",%v})",
                      spdlog::pattern_time_type::utc);
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

using cli::Core;

domain::Result<std::unique_ptr<Core>> OpenCore(const std::string& db, const std::string& root,
                                               int connections, app::SessionSettings sessions,
                                               std::string vetting_key = {},
                                               std::string passport_keys = {}) {
  return cli::OpenCore(
      {db, root, connections, sessions, std::move(vetting_key), {}, {}, std::move(passport_keys)});
}

// A progress bar on standard error, redrawn when the percentage changes: only when
// standard error is a terminal and the file is large enough to wait for.
class ProgressBar {
 public:
  explicit ProgressBar(std::size_t file_bytes)
      : shown_(::isatty(STDERR_FILENO) != 0 && file_bytes >= 1024 * 1024) {}
  ~ProgressBar() { Finish(); }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void Update(std::string_view stage, std::int64_t done, std::int64_t total) {
    if (!shown_ || total <= 0) return;
    const int percent = static_cast<int>(std::min<std::int64_t>(100, done * 100 / total));
    if (stage == stage_ && percent == percent_) return;
    stage_ = stage;
    percent_ = percent;
    constexpr int kWidth = 30;
    const int filled = percent * kWidth / 100;
    std::cerr << "\r" << std::string(stage)
              << std::string(10 - std::min<std::size_t>(9, stage.size()), ' ') << "["
              << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] " << percent
              << "%   " << std::flush;
    drawn_ = true;
  }
  void Finish() {
    if (drawn_) std::cerr << "\n";
    drawn_ = false;
  }

 private:
  bool shown_;
  bool drawn_ = false;
  std::string stage_;
  int percent_ = -1;
};

// `pathway import org|roles|posts|people`: imports one workforce CSV file, all or
// nothing. Prints the counts, or every problem as FILE:LINE:COLUMN: message.
int ImportWorkforce(interchange::WorkforceFileKind kind, const std::string& file, Core& core) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Fail(domain::Error::InvalidInput("FILE", "Could not read " + file));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = std::move(buffer).str();
  ProgressBar bar(text.size());
  app::WorkforceImportOptions options;
  options.max_problems = 1'000'000;  // the command line lists every problem
  options.progress = [&bar](std::string_view stage, std::int64_t done, std::int64_t total) {
    bar.Update(stage, done, total);
  };
  auto report = core.workforce_import->Import(
      app::Actor::System(), kind, text, std::filesystem::path(file).filename().string(), options);
  bar.Finish();
  if (!report.ok()) return Fail(report.error());
  if (!report->ok()) {
    for (const auto& problem : report->problems) {
      std::cerr << file << ":" << problem.line << ":" << problem.column << ": " << problem.message
                << "\n";
    }
    std::cerr << file << " was not imported; nothing was changed (" << report->problems.size()
              << (report->problems.size() == 1 ? " problem" : " problems") << ")\n";
    return 1;
  }
  std::cout << "Imported " << file << ": " << report->rows << " records\n";
  for (const auto& count : report->counts) {
    std::cout << "  " << count.what << ": " << count.inserted << " inserted, " << count.updated
              << " updated";
    // Only people are told apart as unchanged; the other kinds count them as updated.
    if (count.unchanged > 0) std::cout << ", " << count.unchanged << " unchanged";
    std::cout << "\n";
  }
  return 0;
}

// Reads a password from standard input: without echo from a terminal, else one line.
std::string ReadPassword(const std::string& prompt) {
  const bool terminal = ::isatty(STDIN_FILENO) != 0;
  termios saved{};
  if (terminal) {
    std::cerr << prompt << std::flush;
    ::tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (terminal) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
  }
  return password;
}

void PrintSignIns(const std::vector<app::DemoSignIn>& sign_ins, std::ostream& out) {
  out << "Demo sign-ins (this is a demo database):\n";
  std::size_t role_width = 0;
  std::size_t email_width = 0;
  for (const auto& s : sign_ins) {
    role_width = std::max(role_width, s.role.size());
    email_width = std::max(email_width, s.email.size());
  }
  for (const auto& s : sign_ins) {
    out << fmt::format("  {:<{}}   {:<{}}   {}   shows {}\n", s.role, role_width, s.email,
                       email_width, s.password, s.shows);
  }
}

struct ServeFlags {
  std::string db = "pathway.db";
  std::string listen = "127.0.0.1:8080";
  std::string root = PATHWAY_SOURCE_DIR;
  std::string access_log = "-";
  web::ServerOptions server;
  int read_timeout_ms = 15000;
  int idle_timeout_ms = 30000;
  int session_idle_minutes = 30;
  int session_max_hours = 12;
  std::string metrics_token;  // empty: /metrics is not served
  std::string vetting_key;    // empty: vetting case notes are unavailable
  std::string passport_keys;  // empty: PATHWAY_PASSPORT_KEYS, else DB.passport-keys
};

int Serve(ServeFlags flags) {
  const auto colon = flags.listen.rfind(':');
  if (colon == std::string::npos) {
    return Fail(domain::Error::InvalidInput("listen", "--listen must be HOST:PORT"));
  }
  flags.server.host = flags.listen.substr(0, colon);
  try {
    const int port = std::stoi(flags.listen.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    flags.server.port = static_cast<unsigned short>(port);
  } catch (const std::exception&) {
    return Fail(domain::Error::InvalidInput("listen", "--listen needs a port from 0 to 65535"));
  }
  flags.server.read_timeout = std::chrono::milliseconds(flags.read_timeout_ms);
  flags.server.idle_timeout = std::chrono::milliseconds(flags.idle_timeout_ms);
  if (flags.server.workers <= 0) {
    flags.server.workers = 2 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }

  app::SessionSettings sessions{std::chrono::minutes(flags.session_idle_minutes),
                                std::chrono::hours(flags.session_max_hours)};
  auto core = OpenCore(flags.db, flags.root, flags.server.workers, sessions, flags.vetting_key,
                       flags.passport_keys);
  if (!core.ok()) return Fail(core.error());

  const std::filesystem::path root(flags.root);
  auto templates = web::TemplateSet::Load((root / "templates").string());
  if (!templates.ok()) return Fail(templates.error());
  auto assets = web::AssetStore::Load((root / "node_modules/govuk-frontend/dist/govuk").string(),
                                      (root / "static").string());
  if (!assets.ok()) return Fail(assets.error());
  auto openapi = ReadOpenApi((root / "api/openapi.json").string());
  if (!openapi.ok()) return Fail(openapi.error());

  if (auto sign_ins = app::DemoSignIns(*(*core)->pool); sign_ins.ok() && !sign_ins->empty()) {
    PrintSignIns(*sign_ins, std::cerr);
  } else {
    auto db = (*core)->pool->Acquire();
    if (auto users = store::CountUsers(*db, ""); users.ok() && *users == 0) {
      spdlog::warn(
          "No users yet. Add the first administrator with: pathway user add --db {} "
          "--email you@example.gov.uk --name \"Your Name\" --role admin",
          flags.db);
    }
  }
  SetUpAccessLog(flags.access_log);
  (*core)->StartEngine();
  web::Metrics metrics;
  templates->ObserveRenders([&metrics](const std::string& name, std::chrono::nanoseconds took) {
    metrics.RecordRender(name, took);
  });
  web::ErrorPages errors(*templates, assets->VersionedBase());
  web::Router router;
  web::RegisterRoutes(router, {(*core)->services(), *templates, *assets, errors, metrics, *openapi,
                               flags.metrics_token});

  web::Server server(flags.server, router, errors, metrics);
  if (auto listening = server.Listen(); !listening.ok()) return Fail(listening.error());
  spdlog::info("Pathway {} listening on http://{}:{}", PATHWAY_VERSION, flags.server.host,
               server.port());
  server.Run();
  spdlog::info("Pathway stopped");
  spdlog::shutdown();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_logger_mt("pathway"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);

  CLI::App cli{"Pathway: the Civil Service's competency and career frameworks, in one place."};
  cli.set_version_flag("--version", std::string(PATHWAY_VERSION));
  cli.require_subcommand(1);

  ServeFlags flags;
  auto* serve = cli.add_subcommand("serve", "Serve the web pages and the JSON API");
  serve->add_option("--db", flags.db, "SQLite database file (created and migrated if needed)")
      ->envname("PATHWAY_DB")
      ->capture_default_str();
  serve->add_option("--listen", flags.listen, "Address and port to listen on (port 0: any free)")
      ->envname("PATHWAY_LISTEN")
      ->capture_default_str();
  serve
      ->add_option("--metrics-token", flags.metrics_token,
                   "Serve /metrics to requests bearing this token (Authorization: Bearer); "
                   "without it /metrics is not served")
      ->envname("PATHWAY_METRICS_TOKEN");
  serve
      ->add_option("--vetting-key", flags.vetting_key,
                   "The file holding the key that encrypts vetting case notes (made by "
                   "`pathway vetting keygen`); without it case notes are unavailable")
      ->envname("PATHWAY_VETTING_KEY");
  serve->add_option("--passport-keys", flags.passport_keys,
                    "The folder of departments' passport signing keys (DEPARTMENT.key, made by "
                    "`pathway passport keygen`) for passports issued from the pages; default "
                    "beside the database (DB.passport-keys)");
  serve
      ->add_option("--root", flags.root,
                   "Folder holding templates/, static/, api/ and node_modules/")
      ->envname("PATHWAY_ROOT")
      ->capture_default_str();
  serve
      ->add_option("--access-log", flags.access_log, "Access log: '-' for stdout, a file, or 'off'")
      ->envname("PATHWAY_ACCESS_LOG")
      ->capture_default_str();
  serve->add_option("--io-threads", flags.server.io_threads, "I/O threads (0: one per core)")
      ->envname("PATHWAY_IO_THREADS")
      ->check(CLI::Range(0, 256));
  serve
      ->add_option("--workers", flags.server.workers,
                   "Threads for database work and rendering (0: two per core)")
      ->envname("PATHWAY_WORKERS")
      ->check(CLI::Range(0, 256));
  serve
      ->add_option("--queue", flags.server.queue_capacity,
                   "Requests waiting for a worker before answering 503")
      ->envname("PATHWAY_QUEUE")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  serve
      ->add_option("--trusted-proxy", flags.server.trusted_proxies,
                   "Reverse proxies (IP addresses, comma-separated) whose X-Forwarded-For "
                   "names the client")
      ->envname("PATHWAY_TRUSTED_PROXIES")
      ->delimiter(',');
  serve
      ->add_option("--max-connections", flags.server.max_connections,
                   "Open connections before new ones are answered 503")
      ->envname("PATHWAY_MAX_CONNECTIONS")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  serve
      ->add_option("--max-connections-per-address", flags.server.max_connections_per_address,
                   "Open connections from one client address before new ones are answered 503")
      ->envname("PATHWAY_MAX_CONNECTIONS_PER_ADDRESS")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  serve->add_option("--max-body", flags.server.max_body_bytes, "Largest request body in bytes")
      ->envname("PATHWAY_MAX_BODY")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30))
      ->capture_default_str();
  serve
      ->add_option("--max-header", flags.server.max_header_bytes, "Largest request header in bytes")
      ->envname("PATHWAY_MAX_HEADER")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 20))
      ->capture_default_str();
  serve
      ->add_option("--read-timeout-ms", flags.read_timeout_ms,
                   "Time allowed to send a request once it has started (else 408)")
      ->envname("PATHWAY_READ_TIMEOUT_MS")
      ->check(CLI::Range(100, 600000))
      ->capture_default_str();
  serve
      ->add_option("--idle-timeout-ms", flags.idle_timeout_ms,
                   "Idle keep-alive connections are closed after this time")
      ->envname("PATHWAY_IDLE_TIMEOUT_MS")
      ->check(CLI::Range(100, 600000))
      ->capture_default_str();

  std::string migrate_db = "pathway.db";
  auto* migrate = cli.add_subcommand("migrate", "Create or upgrade the database schema");
  migrate->add_option("--db", migrate_db, "SQLite database file")
      ->envname("PATHWAY_DB")
      ->capture_default_str();
  int migrate_to = std::numeric_limits<int>::max();
  migrate
      ->add_option("--to", migrate_to,
                   "Stop at this schema version (a staged upgrade); default: the newest")
      ->check(CLI::PositiveNumber);

  serve
      ->add_flag("--https", flags.server.hsts,
                 "Pathway is reached only over HTTPS (behind a TLS proxy): send HSTS")
      ->envname("PATHWAY_HTTPS");
  serve
      ->add_option("--session-idle-minutes", flags.session_idle_minutes,
                   "Sessions end after this long without a request")
      ->envname("PATHWAY_SESSION_IDLE_MINUTES")
      ->check(CLI::Range(1, 24 * 60))
      ->capture_default_str();
  serve
      ->add_option("--session-max-hours", flags.session_max_hours,
                   "Sessions end this long after sign-in, however active")
      ->envname("PATHWAY_SESSION_MAX_HOURS")
      ->check(CLI::Range(1, 24 * 7))
      ->capture_default_str();

  std::string db = "pathway.db";
  std::string root = PATHWAY_SOURCE_DIR;
  auto add_common = [&](CLI::App* command) {
    command->add_option("--db", db, "SQLite database file")
        ->envname("PATHWAY_DB")
        ->capture_default_str();
    command->add_option("--root", root, "Folder holding policy/ and data/")
        ->envname("PATHWAY_ROOT")
        ->capture_default_str();
  };

  auto* user = cli.add_subcommand("user", "Manage users")->require_subcommand(1);
  auto* user_add = user->add_subcommand(
      "add", "Add a user; the password is read from standard input, never from an argument");
  add_common(user_add);
  std::string email;
  std::string name;
  std::vector<std::string> roles;
  user_add->add_option("--email", email, "The user's email address")->required();
  user_add->add_option("--name", name, "The user's full name")->required();
  user_add->add_option("--role", roles,
                       "A role to grant, as ROLE or ROLE:SCOPE (admin, hr_partner:DEPT, ...); "
                       "repeatable. Every user is also an individual.");

  auto* token = cli.add_subcommand("token", "Manage API tokens")->require_subcommand(1);
  auto* token_create =
      token->add_subcommand("create", "Create an API token for a user and print it once");
  add_common(token_create);
  std::string token_name = "API token";
  token_create->add_option("--email", email, "The user the token acts as")->required();
  token_create->add_option("--name", token_name, "What the token is for")->capture_default_str();
  auto* token_revoke = token->add_subcommand("revoke", "Revoke an API token");
  add_common(token_revoke);
  std::int64_t token_id = 0;
  token_revoke->add_option("--id", token_id, "The token's id")->required();

  auto* audit = cli.add_subcommand("audit", "The audit trail")->require_subcommand(1);
  auto* audit_verify =
      audit->add_subcommand("verify", "Check the audit trail's hash chain; exit 0 only if intact");
  add_common(audit_verify);

  auto* import = cli.add_subcommand("import", "Import data from files")->require_subcommand(1);
  auto* import_framework = import->add_subcommand(
      "framework", "Import a framework (all or nothing); prints its id and version");
  add_common(import_framework);
  std::string format;
  std::string file;
  import_framework->add_option("--format", format, "File format")
      ->required()
      ->check(CLI::IsMember({"document", "csv", "case"}));
  import_framework->add_option("FILE", file, "The file to import")->required();
  std::vector<std::pair<interchange::WorkforceFileKind, CLI::App*>> import_workforce;
  for (auto [kind, what] :
       {std::pair{interchange::WorkforceFileKind::kOrg, "departments, units and locations"},
        std::pair{interchange::WorkforceFileKind::kRoles,
                  "professions, job families, roles and role levels"},
        std::pair{interchange::WorkforceFileKind::kPosts, "posts"},
        std::pair{interchange::WorkforceFileKind::kPeople, "people"}}) {
    auto* command = import->add_subcommand(
        std::string(interchange::WorkforceFileKindName(kind)),
        std::string("Import ") + what + " from an HR CSV export (all or nothing)");
    add_common(command);
    command->add_option("FILE", file, "The CSV file (docs/formats/workforce-csv.md)")->required();
    import_workforce.emplace_back(kind, command);
  }

  auto* export_command = cli.add_subcommand("export", "Export data")->require_subcommand(1);
  auto* export_framework =
      export_command->add_subcommand("framework", "Write a framework version to standard output");
  add_common(export_framework);
  std::string framework_id;
  int framework_version = 0;
  std::string base_uri = "http://127.0.0.1:8080/ims/case/v1p1";
  export_framework->add_option("--format", format, "File format")
      ->required()
      ->check(CLI::IsMember({"csv", "case"}));
  export_framework->add_option("ID", framework_id, "The framework's id")->required();
  export_framework->add_option("--version", framework_version,
                               "The version (default: the newest published)");
  export_framework->add_option("--base-uri", base_uri, "CASE: where the CASE API serves it")
      ->capture_default_str();

  auto* demo = cli.add_subcommand(
      "demo", "Create a demo database with demo people and a user for each role");
  add_common(demo);
  std::uint64_t seed = 1;
  demo->add_option("--seed", seed, "Seed: the same seed gives the same demo")
      ->capture_default_str();
  app::DemoOptions demo_options;
  demo->add_option("--people", demo_options.people, "How many people the demo workforce has")
      ->capture_default_str()
      ->check(CLI::Range(app::kMinDemoPeople, app::kMaxDemoPeople));

  auto* assessments =
      cli.add_subcommand("assessments", "People's assessments")->require_subcommand(1);
  auto* carry_over = assessments->add_subcommand(
      "carry-over",
      "Carry people's levels over to every newly published framework version that replaces "
      "items (resumes a run a crash stopped; a finished run does nothing)");
  add_common(carry_over);

  auto* passport = cli.add_subcommand("passport", "Signed skills passports")->require_subcommand(1);
  std::string passport_department, passport_out, passport_person, passport_key, passport_file,
      passport_kid;
  std::string passport_base = "http://127.0.0.1:8080/ims/case/v1p1";
  int passport_days = 365;
  bool passport_consent = false;
  auto* passport_keygen = passport->add_subcommand(
      "keygen",
      "Create a department's signing key: the private key in a new owner-only file, the "
      "public key in the database and on its trust list");
  add_common(passport_keygen);
  passport_keygen->add_option("--department", passport_department, "The department's code")
      ->required();
  passport_keygen->add_option("--out", passport_out, "The private key file to create")->required();
  auto* passport_export = passport->add_subcommand(
      "export", "Write a person's confirmed levels as a signed credential to standard output");
  add_common(passport_export);
  passport_export->add_option("--person", passport_person, "The person's HR id")->required();
  passport_export->add_option("--key", passport_key, "The department's private key file")
      ->required();
  passport_export->add_option("--base-uri", passport_base, "The base of the CASE item URIs")
      ->capture_default_str();
  passport_export->add_option("--valid-days", passport_days, "How long the credential is valid")
      ->capture_default_str()
      ->check(CLI::Range(1, 3650));
  auto* passport_verify = passport->add_subcommand(
      "verify", "Exit 0 only for a credential that verifies against this database's trust list");
  add_common(passport_verify);
  passport_verify->add_option("FILE", passport_file, "The credential (compact JWS)")->required();
  auto* passport_import = passport->add_subcommand(
      "import",
      "Verify a credential and record its levels in the person's ledger as source passport");
  add_common(passport_import);
  passport_import->add_option("--person", passport_person, "The person's HR id")->required();
  passport_import->add_flag("--consent", passport_consent,
                            "The person has consented, in writing, to the import (required)");
  passport_import->add_option("FILE", passport_file, "The credential (compact JWS)")->required();
  auto* passport_trust = passport->add_subcommand(
      "trust",
      "Add a department's public key to the trust list, from a JSON file "
      "{\"department\", \"kid\", \"public_key\"} (or print this database's keys with --export)");
  add_common(passport_trust);
  bool trust_export = false;
  passport_trust->add_flag("--export", trust_export, "Print this database's trusted keys as JSON");
  passport_trust->add_option("FILE", passport_file, "The key file to trust");
  auto* passport_revoke = passport->add_subcommand("revoke-key", "Revoke a signing or trusted key");
  add_common(passport_revoke);
  passport_revoke->add_option("--kid", passport_kid, "The key id")->required();

  auto* recruitment =
      cli.add_subcommand("recruitment", "Recruitment campaigns")->require_subcommand(1);
  auto* recruitment_purge = recruitment->add_subcommand(
      "purge",
      "Remove the statements, scores and contact details of unsuccessful candidates "
      "decided more than N days ago (audited)");
  add_common(recruitment_purge);
  int purge_days = 365;
  recruitment_purge->add_option("--older-than-days", purge_days, "The retention period in days")
      ->capture_default_str()
      ->check(CLI::Range(0, 3650));

  auto* notify = cli.add_subcommand("notify", "Notices to people")->require_subcommand(1);
  auto* notify_send = notify->add_subcommand(
      "send",
      "Queue reminders of overdue performance-year steps (once each), then send the notice "
      "outbox by SMTP: each notice is marked sent, or failed with the reason (tried at most 5 "
      "times). The SMTP password, if any, comes from PATHWAY_SMTP_PASSWORD");
  add_common(notify_send);
  cli::SmtpSettings smtp;
  int notify_limit = 1000;
  notify_send->add_option("--smtp", smtp.url, "The SMTP server, for example smtp://127.0.0.1:25")
      ->required();
  notify_send->add_option("--from", smtp.from, "The sender's address")->required();
  notify_send->add_option("--smtp-user", smtp.user, "The SMTP user (then STARTTLS is required)");
  notify_send->add_option("--limit", notify_limit, "Send at most this many")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));

  auto* vetting = cli.add_subcommand("vetting", "Vetting")->require_subcommand(1);
  auto* vetting_keygen = vetting->add_subcommand(
      "keygen",
      "Create the key that encrypts vetting case notes, in a new file readable by its owner "
      "alone; keep it outside the database and its backups");
  std::string vetting_key_out;
  vetting_keygen->add_option("--out", vetting_key_out, "The key file to create")->required();

  auto* bench = cli.add_subcommand(
      "bench", "Time the workforce engine's questions against the same questions in SQLite");
  add_common(bench);
  std::string bench_scenario = "all";
  bench
      ->add_option("SCENARIO", bench_scenario,
                   "all, load, memory, bandwidth, match, match_all, closest, capmap, routes, or "
                   "a comma-separated list")
      ->capture_default_str();
  app::BenchOptions bench_options;
  bench->add_flag("!--no-baseline", bench_options.baseline,
                  "Skip the SQLite baseline (it takes seconds per question)");
  bench->add_option("--runs", bench_options.runs, "Engine runs per scenario")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  bench->add_flag("--print-query", bench_options.print_query,
                  "Also print the questions asked, for bench/peer_duckdb.sh");

  CLI11_PARSE(cli, argc, argv);

  if (bench->parsed()) {
    if (!std::filesystem::exists(db)) {
      return Fail(domain::Error::InvalidInput("db", "There is no database " + db));
    }
    if (bench_options.baseline) {
      // The SQLite baseline gets the index its by-item questions need. The demo does not
      // build it (nothing in Pathway reads the ledger by item), so build it once here.
      auto writable = store::Database::Open(db);
      if (!writable.ok()) return Fail(writable.error());
      std::cerr << "Indexing the assessments by item for the SQLite baseline (once)\n";
      auto indexed = store::EnsureAssessmentItemIndex(**writable);
      if (!indexed.ok()) return Fail(indexed.error());
    }
    auto database = store::Database::Open(db, {.read_only = true});
    if (!database.ok()) return Fail(database.error());
    auto status = app::RunWorkforceBench(**database, bench_scenario, std::cout, bench_options);
    if (!status.ok()) return Fail(status.error());
    return 0;
  }

  if (vetting_keygen->parsed()) {
    if (auto made = app::VettingKey::Generate(vetting_key_out); !made.ok())
      return Fail(made.error());
    std::cout << "Created the vetting key " << vetting_key_out << " (serve with --vetting-key "
              << vetting_key_out << ")\n";
    return 0;
  }

  auto open = [&]() { return OpenCore(db, root, 1, {}); };
  if (demo->parsed()) {
    const bool existed = std::filesystem::exists(db);
    auto core = open();
    if (!core.ok()) return Fail(core.error());
    const std::filesystem::path shipped = std::filesystem::path(root) / "data/frameworks";
    app::ShippedFrameworkFiles files{
        ReadText((shipped / "cscf-level5-sms1.txt").string()),
        ReadText((shipped / "cscf-level5-security-additions.csv").string()),
        ReadText((shipped / "success-profiles-behaviours.csv").string())};
    const std::filesystem::path professions = std::filesystem::path(root) / "data/professions";
    const std::filesystem::path names = std::filesystem::path(root) / "data/names";
    app::WorkforceDemoFiles workforce{ReadText((professions / "professions.csv").string()),
                                      {},
                                      files.success_profiles,
                                      ReadText((names / "first-names.txt").string()),
                                      ReadText((names / "last-names.txt").string())};
    std::vector<std::filesystem::path> career_files;
    std::error_code listed;
    for (const auto& entry : std::filesystem::directory_iterator(professions, listed)) {
      if (entry.path().extension() == ".csv" && entry.path().stem() != "professions") {
        career_files.push_back(entry.path());
      }
    }
    std::sort(career_files.begin(), career_files.end());
    for (const auto& path : career_files) {
      workforce.career_frameworks.emplace_back(path.stem().string(), ReadText(path.string()));
    }
    demo_options.progress = [](std::string_view message) { std::cerr << message << std::endl; };
    auto sign_ins = app::CreateDemo(*(*core)->kernel, *(*core)->identity, *(*core)->frameworks,
                                    files, workforce, seed, demo_options);
    if (!sign_ins.ok()) {
      core->reset();
      if (!existed) {
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
      }
      return Fail(sign_ins.error());
    }
    std::cout << "Created the demo database " << db << "\n";
    PrintSignIns(*sign_ins, std::cout);
    return 0;
  }
  const auto read_file = [](const std::string& path, std::string& out) -> bool {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream text;
    // At most one byte more than the limit: a larger file is refused by the service.
    std::vector<char> buffer(app::kMaxCredentialBytes + 1);
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    out.assign(buffer.data(), static_cast<std::size_t>(in.gcount()));
    return true;
  };
  if (passport_keygen->parsed()) {
    auto core = open();
    if (!core.ok()) return Fail(core.error());
    auto key =
        (*core)->passport->CreateKey(app::Actor::System(), passport_department, passport_out);
    if (!key.ok()) return Fail(key.error());
    std::cout << nlohmann::json{{"department", key->department},
                                {"kid", key->kid},
                                {"public_key", key->public_key}}
                     .dump(2)
              << "\n";
    return 0;
  }
  if (passport_export->parsed()) {
    auto core = open();
    if (!core.ok()) return Fail(core.error());
    auto text = (*core)->passport->Export(app::Actor::System(), passport_person, passport_key,
                                          passport_base, passport_days);
    if (!text.ok()) return Fail(text.error());
    std::cout << *text << "\n";
    return 0;
  }
  if (passport_verify->parsed() || passport_import->parsed()) {
    std::string text;
    if (!read_file(passport_file, text))
      return Fail(domain::Error::InvalidInput("FILE", "Could not read " + passport_file));
    auto core = open();
    if (!core.ok()) return Fail(core.error());
    if (passport_verify->parsed()) {
      auto verified = (*core)->passport->Verify(text);
      if (!verified.ok()) {
        std::cerr << "Not verified: " << verified.error().message << "\n";
        return 1;
      }
      std::cout << fmt::format(
          "Verified: {} for {} ({}), issued by {} with key {}, valid until {}, {} levels\n",
          verified->id, verified->subject_name, verified->subject_hr_id, verified->issuer,
          verified->kid, verified->valid_until, verified->entries.size());
      return 0;
    }
    auto imported =
        (*core)->passport->Import(app::Actor::System(), passport_person, text, passport_consent);
    if (!imported.ok()) {
      std::cerr << "Not imported, nothing recorded: " << imported.error().message << "\n";
      return 1;
    }
    std::cout << fmt::format("Imported {}: {} levels recorded\n", imported->credential_id,
                             imported->recorded);
    for (const auto& title : imported->unmapped)
      std::cout << "  not held here, not recorded: " << title << "\n";
    return 0;
  }
  if (passport_trust->parsed()) {
    auto core = open();
    if (!core.ok()) return Fail(core.error());
    if (trust_export) {
      auto keys = (*core)->passport->TrustedKeys(app::Actor::System());
      if (!keys.ok()) return Fail(keys.error());
      nlohmann::json list = nlohmann::json::array();
      for (const auto& k : *keys)
        list.push_back(
            {{"department", k.department}, {"kid", k.kid}, {"public_key", k.public_key}});
      std::cout << list.dump(2) << "\n";
      return 0;
    }
    std::string text;
    if (passport_file.empty() || !read_file(passport_file, text)) {
      return Fail(domain::Error::InvalidInput("FILE", "Give the key file to trust"));
    }
    const auto parsed = nlohmann::json::parse(text, nullptr, false);
    const interchange::JsonField file(parsed, "");
    constexpr std::string_view kShape =
        "The key file must be JSON with department, kid and public_key";
    auto kid = file.RequiredString("kid", kShape);
    auto department = file.RequiredString("department", kShape);
    auto public_key = file.RequiredString("public_key", kShape);
    for (const auto* read : {&kid, &department, &public_key}) {
      if (!read->ok()) {
        return Fail(domain::Error::InvalidInput(
            "FILE", fmt::format("{} (‘{}’ is missing or not text)", kShape, read->error().field)));
      }
    }
    auto trusted = (*core)->passport->Trust(app::Actor::System(), {*kid, *department, *public_key});
    if (!trusted.ok()) return Fail(trusted.error());
    std::cout << "Trusted " << *kid << "\n";
    return 0;
  }
  if (passport_revoke->parsed()) {
    auto core = open();
    if (!core.ok()) return Fail(core.error());
    auto revoked = (*core)->passport->RevokeKey(app::Actor::System(), passport_kid);
    if (!revoked.ok()) return Fail(revoked.error());
    std::cout << "Revoked " << passport_kid << "\n";
    return 0;
  }
  if (recruitment_purge->parsed()) {
    auto core = open();
    if (!core.ok()) return Fail(core.error());
    auto purged = (*core)->recruitment->Purge(app::Actor::System(), purge_days);
    if (!purged.ok()) return Fail(purged.error());
    std::cout << fmt::format("Removed the data of {} unsuccessful applications\n", *purged);
    return 0;
  }
  if (notify_send->parsed()) {
    if (!smtp.url.starts_with("smtp://") && !smtp.url.starts_with("smtps://")) {
      return Fail(domain::Error::InvalidInput(
          "--smtp", "Give the server as smtp://host:port or smtps://host:port"));
    }
    if (const char* password = std::getenv("PATHWAY_SMTP_PASSWORD")) smtp.password = password;
    auto core = open();
    if (!core.ok()) return Fail(core.error());
    auto reminded = (*core)->performance->QueueReminders(app::Actor::System());
    if (!reminded.ok()) return Fail(reminded.error());
    if (*reminded > 0)
      std::cout << fmt::format("Queued reminders for {} overdue steps\n", *reminded);
    auto report = (*core)->performance->SendNotices(app::Actor::System(), cli::SmtpMailer(smtp),
                                                    notify_limit);
    if (!report.ok()) return Fail(report.error());
    std::cout << fmt::format("{} sent, {} failed, {} without an email address\n", report->sent,
                             report->failed, report->skipped);
    return report->failed > 0 ? 1 : 0;
  }
  if (carry_over->parsed()) {
    auto core = open();
    if (!core.ok()) return Fail(core.error());
    auto runs = (*core)->assessments->CarryOverPending(app::Actor::System());
    if (!runs.ok()) return Fail(runs.error());
    if (runs->empty()) std::cout << "Nothing to carry over\n";
    for (const auto& run : *runs) {
      std::cout << fmt::format("{} version {}: {} levels carried over for {} people\n",
                               run.framework_id, run.version, run.rows_added, run.people);
    }
    return 0;
  }
  if (import_framework->parsed()) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Fail(domain::Error::InvalidInput("FILE", "Could not read " + file));
    std::ostringstream text;
    text << in.rdbuf();
    auto parsed = format == "csv"    ? interchange::ParseFrameworkCsv(text.str())
                  : format == "case" ? interchange::ParseCasePackage(text.str())
                                     : interchange::ParseFrameworkDocument(text.str());
    if (!parsed.ok()) {
      std::cerr << file << " was not imported; nothing was changed:\n";
      for (const auto& problem : parsed.problems()) {
        std::cerr << "  " << interchange::FormatImportProblem(problem) << "\n";
      }
      return 1;
    }
    auto core = open();
    if (!core.ok()) return Fail(core.error());
    auto ref = (*core)->frameworks->Import(app::Actor::System(), std::move(parsed).value(),
                                           std::filesystem::path(file).filename().string());
    if (!ref.ok()) return Fail(ref.error());
    std::cout << ref->id << " " << ref->version << "\n";
    return 0;
  }
  for (const auto& [kind, command] : import_workforce) {
    if (!command->parsed()) continue;
    auto core = open();
    if (!core.ok()) return Fail(core.error());
    return ImportWorkforce(kind, file, **core);
  }
  if (export_framework->parsed()) {
    auto core = open();
    if (!core.ok()) return Fail(core.error());
    auto framework = (*core)->frameworks->Get(
        app::Actor::System(), framework_id,
        framework_version > 0 ? std::optional<int>(framework_version) : std::nullopt);
    if (!framework.ok()) return Fail(framework.error());
    if (format == "csv") {
      std::cout << interchange::WriteFrameworkCsv(*framework);
    } else {
      auto info = (*core)->frameworks->Versions(app::Actor::System(), framework_id);
      std::string changed = "2026-01-01T00:00:00Z";
      for (const auto& version : *info) {
        if (version.version == framework->version) {
          changed = version.published_at.empty() ? version.created_at : version.published_at;
        }
      }
      interchange::CaseExportOptions options{base_uri, "Pathway", changed.substr(0, 19) + "Z"};
      auto linked = (*core)->crosswalks->WithCrosswalks(*framework, base_uri);
      if (!linked.ok()) return Fail(linked.error());
      std::cout << interchange::WriteCasePackage(*linked, options) << "\n";
    }
    return 0;
  }
  if (user_add->parsed()) {
    auto core = open();
    if (!core.ok()) return Fail(core.error());
    app::NewUser new_user{email, name, std::nullopt, {}};
    for (const auto& text : roles) {
      const auto colon = text.find(':');
      const auto role = domain::ParseRole(text.substr(0, colon));
      if (!role || *role == domain::Role::kSystem) {
        return Fail(domain::Error::InvalidInput("role", "Unknown role '" + text + "'"));
      }
      new_user.grants.push_back(
          {0, *role, colon == std::string::npos ? std::string{} : text.substr(colon + 1)});
    }
    new_user.password = ReadPassword("Password for " + email + ": ");
    auto id = (*core)->identity->AddUser(app::Actor::System(), new_user);
    if (!id.ok()) return Fail(id.error());
    std::cout << "Added user " << *id << " <" << email << ">\n";
    return 0;
  }
  if (token_create->parsed()) {
    auto core = open();
    if (!core.ok()) return Fail(core.error());
    auto created = (*core)->identity->CreateToken(app::Actor::System(), email, token_name);
    if (!created.ok()) return Fail(created.error());
    std::cerr << "Token " << created->id << " for " << email
              << ". It is shown only now: keep it secret.\n";
    std::cout << created->token << "\n";
    return 0;
  }
  if (token_revoke->parsed()) {
    auto core = open();
    if (!core.ok()) return Fail(core.error());
    auto status = (*core)->identity->RevokeToken(app::Actor::System(), token_id);
    if (!status.ok()) {
      return Fail(domain::Error::NotFound("There is no token " + std::to_string(token_id)));
    }
    std::cout << "Revoked token " << token_id << "\n";
    return 0;
  }
  if (audit_verify->parsed()) {
    auto core = open();
    if (!core.ok()) return Fail(core.error());
    auto chain = (*core)->identity->VerifyAudit(app::Actor::System());
    if (!chain.ok()) return Fail(chain.error());
    auto report = (*core)->audit_guard->Verify(*chain);
    if (!report.ok()) return Fail(report.error());
    if (report->first_broken_seq) {
      std::cout << "Audit trail BROKEN: " << report->problem << " (" << report->rows
                << " rows checked)\n";
      return 1;
    }
    std::cout << "Audit trail intact: " << report->rows << " events\n";
    return 0;
  }

  if (serve->parsed()) return Serve(flags);
  if (migrate->parsed()) {
    auto report = MigrateFile(migrate_db, migrate_to);
    if (!report.ok()) return Fail(report.error());
    for (const std::string& note : report->notes) std::cout << note << "\n";
    std::cout << "Database " << migrate_db << " is at schema version " << report->to_version
              << " (was " << report->from_version << ")\n";
    return 0;
  }
  return 1;
}
