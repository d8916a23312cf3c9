// The `pathway` command: serve, migrate. Parses flags and environment, wires the
// layers together, and turns results into exit codes. No business rules here.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <spdlog/async.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "app/service.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
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
domain::Result<store::MigrationReport> MigrateFile(const std::string& path) {
  PATHWAY_ASSIGN_OR_RETURN(auto db, store::Database::Open(path));
  return store::Migrate(*db);
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

struct ServeFlags {
  std::string db = "pathway.db";
  std::string listen = "127.0.0.1:8080";
  std::string root = PATHWAY_SOURCE_DIR;
  std::string access_log = "-";
  web::ServerOptions server;
  int read_timeout_ms = 15000;
  int idle_timeout_ms = 30000;
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

  auto migrated = MigrateFile(flags.db);
  if (!migrated.ok()) return Fail(migrated.error());
  if (migrated->from_version != migrated->to_version) {
    spdlog::info("Database {} migrated from version {} to {}", flags.db, migrated->from_version,
                 migrated->to_version);
  }
  auto pool = store::ConnectionPool::Open(flags.db, flags.server.workers);
  if (!pool.ok()) return Fail(pool.error());

  const std::filesystem::path root(flags.root);
  auto templates = web::TemplateSet::Load((root / "templates").string());
  if (!templates.ok()) return Fail(templates.error());
  auto assets = web::AssetStore::Load((root / "node_modules/govuk-frontend/dist/govuk").string(),
                                      (root / "static").string());
  if (!assets.ok()) return Fail(assets.error());
  auto openapi = ReadOpenApi((root / "api/openapi.json").string());
  if (!openapi.ok()) return Fail(openapi.error());

  SetUpAccessLog(flags.access_log);
  app::Service service(**pool);
  web::Metrics metrics;
  web::ErrorPages errors(*templates, assets->VersionedBase());
  web::Router router;
  web::RegisterRoutes(router, {service, *templates, *assets, errors, metrics, *openapi});

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

  CLI11_PARSE(cli, argc, argv);

  if (serve->parsed()) return Serve(flags);
  if (migrate->parsed()) {
    auto report = MigrateFile(migrate_db);
    if (!report.ok()) return Fail(report.error());
    std::cout << "Database " << migrate_db << " is at schema version " << report->to_version
              << " (was " << report->from_version << ")\n";
    return 0;
  }
  return 1;
}
