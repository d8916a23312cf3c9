// Framework versions in SQLite: one row per version, its content in child tables
// (clusters, items, levels, indicators, grade map, rating scale), and the FTS5 search
// index over the latest published version of each framework. Drafts change; the
// database itself refuses changes to published versions (triggers).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/framework.hpp"
#include "domain/framework_records.hpp"
#include "domain/result.hpp"
#include "store/database.hpp"

namespace pathway::store {

// The value types these functions take and answer live in domain/framework_records.hpp.
using domain::FrameworkVersionInfo;
using domain::SearchHit;

// Writes a whole version (the framework row too, if new) with the status the
// framework carries. kConflict if that version number exists. Call in a transaction.
Status InsertFrameworkVersion(Database& db, const domain::Framework& framework);
// Replaces the content of an existing draft version. Refused by the database for a
// published or retired one. Call in a transaction.
Status ReplaceDraft(Database& db, const domain::Framework& framework);
// Sets a version's status (publishing stamps published_at; retiring, retired_at) and
// re-indexes the framework for search. Call in a transaction.
Status SetVersionStatus(Database& db, const std::string& framework_id, int version,
                        domain::FrameworkStatus status);

// The whole version, or nullopt if there is none.
Result<std::optional<domain::Framework>> LoadFrameworkVersion(Database& db,
                                                              const std::string& framework_id,
                                                              int version);
Result<std::optional<FrameworkVersionInfo>> FindVersion(Database& db,
                                                        const std::string& framework_id,
                                                        int version);
// Every version of one framework, newest first.
Result<std::vector<FrameworkVersionInfo>> ListVersions(Database& db,
                                                       const std::string& framework_id);
// Every version of every framework, by title then newest version first.
Result<std::vector<FrameworkVersionInfo>> ListAllVersions(Database& db);
// 1 for a framework with no versions yet.
Result<int> NextVersionNumber(Database& db, const std::string& framework_id);

// Full-text search (FTS5, English stemming) over the latest published version of every
// framework. Each term matches words it begins (prefix); all terms must match. Best
// first (BM25). An empty term list finds nothing.
Result<std::vector<SearchHit>> SearchFrameworks(Database& db, const std::vector<std::string>& terms,
                                                int limit);

// A text that changes whenever a version is published or retired (or a published or
// retired version appears by import): a cheap key for caches of published frameworks.
Result<std::string> PublishedVersionsFingerprint(Database& db);

}  // namespace pathway::store
