#include "web/assets.hpp"

#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace pathway::web {
namespace {

namespace fs = std::filesystem;

std::string ContentType(const fs::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".woff") return "font/woff";
  return "application/octet-stream";
}

bool ReadFile(const fs::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  out = buffer.str();
  return true;
}

}  // namespace

domain::Result<AssetStore> AssetStore::Load(const std::string& govuk_dir,
                                            const std::string& static_dir) {
  AssetStore store;
  auto add = [&store](const fs::path& file, std::string name) -> bool {
    Asset asset;
    if (!ReadFile(file, asset.bytes)) return false;
    asset.content_type = ContentType(file);
    store.assets_.emplace(std::move(name), std::move(asset));
    return true;
  };
  const fs::path govuk(govuk_dir);
  for (const char* name : {"govuk-frontend.min.css", "govuk-frontend.min.js"}) {
    if (!add(govuk / name, name)) {
      return domain::Error::Unavailable(fmt::format(
          "GOV.UK Frontend is missing: could not read {}. Run 'npm ci' in the project folder.",
          (govuk / name).string()));
    }
  }
  // The MOJ Frontend's styles (filter layout, sortable tables), from the same
  // node_modules folder: govuk_dir is node_modules/govuk-frontend/dist/govuk. Only
  // styles: without them the workforce lists still work, laid out one above the other.
  const fs::path moj =
      govuk.parent_path().parent_path().parent_path() / "@ministryofjustice/frontend/moj";
  std::error_code moj_missing;
  if (fs::is_regular_file(moj / "moj-frontend.min.css", moj_missing) &&
      !add(moj / "moj-frontend.min.css", "moj-frontend.min.css")) {
    return domain::Error::Unavailable(
        fmt::format("Could not read {}", (moj / "moj-frontend.min.css").string()));
  }
  // The role-level picker (GOV.UK's accessible-autocomplete), also from node_modules.
  // Optional in the same way: without it the pickers stay plain search fields.
  const fs::path autocomplete =
      govuk.parent_path().parent_path().parent_path() / "accessible-autocomplete/dist";
  for (const char* name : {"accessible-autocomplete.min.js", "accessible-autocomplete.min.css"}) {
    std::error_code missing;
    if (fs::is_regular_file(autocomplete / name, missing) && !add(autocomplete / name, name)) {
      return domain::Error::Unavailable(
          fmt::format("Could not read {}", (autocomplete / name).string()));
    }
  }
  std::error_code ec;
  for (const auto& [dir, prefix] : {std::pair{govuk / "assets", std::string{}},
                                    std::pair{fs::path(static_dir), std::string{}}}) {
    if (!fs::is_directory(dir, ec)) {
      return domain::Error::Unavailable(fmt::format("Asset folder {} is missing", dir.string()));
    }
    for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::end(it); it.increment(ec)) {
      if (ec) break;
      if (!it->is_regular_file()) continue;
      const std::string relative = prefix + fs::relative(it->path(), dir).generic_string();
      if (!add(it->path(), relative)) {
        return domain::Error::Unavailable(fmt::format("Could not read {}", it->path().string()));
      }
    }
  }
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, 16);
  for (const auto& [name, asset] : store.assets_) {
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(name.data()),
                              name.size() + 1);  // include the NUL as a separator
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(asset.bytes.data()),
                              asset.bytes.size());
  }
  unsigned char digest[16];
  crypto_generichash_final(&state, digest, sizeof digest);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  store.version_.assign(hex, 12);
  return store;
}

Response AssetStore::Serve(std::string_view rest, std::string_view if_none_match) const {
  bool versioned = false;
  const std::string prefix = "v" + version_ + "/";
  if (rest.starts_with(prefix)) {
    rest.remove_prefix(prefix.size());
    versioned = true;
  }
  const auto it = assets_.find(rest);
  if (it == assets_.end()) {
    return Response::Text(404, "Not found\n");
  }
  const std::string etag = "\"" + version_ + "\"";
  const bool immutable = versioned || rest.starts_with("fonts/");
  Response response;
  response.SetHeader("Cache-Control",
                     immutable ? "public, max-age=31536000, immutable" : "public, max-age=3600");
  response.SetHeader("ETag", etag);
  if (if_none_match == etag) {
    response.status = 304;
    return response;
  }
  response.SetHeader("Content-Type", it->second.content_type);
  response.body = it->second.bytes;
  return response;
}

}  // namespace pathway::web
