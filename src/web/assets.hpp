// Static assets (GOV.UK Frontend's compiled CSS, JS, fonts and images, and Pathway's
// own) held in memory and served under /assets with long cache lifetimes.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "domain/result.hpp"
#include "web/http.hpp"

namespace pathway::web {

struct Asset {
  std::string bytes;
  std::string content_type;
};

class AssetStore {
 public:
  // Loads GOV.UK Frontend's dist folder (`govuk_dir`: govuk-frontend.min.css and .js,
  // and assets/ with fonts, images and manifest.json), the MOJ Frontend's
  // moj-frontend.min.css from the same node_modules folder if it is there, and Pathway's
  // own files from `static_dir`. Fails if the GOV.UK files are missing (run the npm
  // install).
  static domain::Result<AssetStore> Load(const std::string& govuk_dir,
                                         const std::string& static_dir);

  // A short fingerprint of every asset's path and bytes: it changes whenever any
  // asset does, so URLs under VersionedBase() can be cached for a year.
  const std::string& version() const { return version_; }
  // "/assets/v<version>": prefix for links to CSS, JS and images in templates.
  std::string VersionedBase() const { return "/assets/v" + version_; }

  // Answers GET /assets/<rest>. Fingerprinted paths ("v<version>/...") and files whose
  // names carry their own hash (fonts) are immutable; others are cached for an hour.
  Response Serve(std::string_view rest, std::string_view if_none_match) const;

  std::size_t size() const { return assets_.size(); }

 private:
  std::map<std::string, Asset, std::less<>> assets_;
  std::string version_;
};

}  // namespace pathway::web
