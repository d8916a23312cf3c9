#include "store/frameworks.hpp"

#include <map>

#include <fmt/format.h>

namespace pathway::store {
namespace {

using domain::Framework;

std::string JoinTags(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& tag : tags) {
    if (!out.empty()) out += ';';
    out += tag;
  }
  return out;
}

std::vector<std::string> SplitTags(const std::string& text) {
  std::vector<std::string> tags;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto semi = text.find(';', start);
    const auto end = semi == std::string::npos ? text.size() : semi;
    if (end > start) tags.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return tags;
}

Status InsertContent(Database& db, const Framework& f) {
  PATHWAY_ASSIGN_OR_RETURN(auto grade,
                           db.Prepare("INSERT INTO fw_grade_level VALUES (?, ?, ?, ?)"));
  for (const auto& [g, level] : f.grade_levels) {
    grade.Reset();
    grade.Bind(1, f.id).Bind(2, f.version).Bind(3, domain::GradeCode(g)).Bind(4, level);
    PATHWAY_TRY(grade.Run());
  }
  PATHWAY_ASSIGN_OR_RETURN(auto scale,
                           db.Prepare("INSERT INTO fw_scale_point VALUES (?, ?, ?, ?, ?)"));
  for (const auto& point : f.rating_scale) {
    scale.Reset();
    scale.Bind(1, f.id)
        .Bind(2, f.version)
        .Bind(3, point.value)
        .Bind(4, point.label)
        .Bind(5, point.description);
    PATHWAY_TRY(scale.Run());
  }
  PATHWAY_ASSIGN_OR_RETURN(auto cluster,
                           db.Prepare("INSERT INTO fw_cluster VALUES (?, ?, ?, ?, ?, ?, ?)"));
  PATHWAY_ASSIGN_OR_RETURN(auto item,
                           db.Prepare("INSERT INTO fw_item VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  PATHWAY_ASSIGN_OR_RETURN(auto level,
                           db.Prepare("INSERT INTO fw_level VALUES (?, ?, ?, ?, ?, ?)"));
  PATHWAY_ASSIGN_OR_RETURN(
      auto indicator, db.Prepare("INSERT INTO fw_indicator VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  int cluster_position = 0;
  for (const auto& c : f.clusters) {
    cluster.Reset();
    cluster.Bind(1, f.id)
        .Bind(2, f.version)
        .Bind(3, c.id)
        .Bind(4, ++cluster_position)
        .Bind(5, c.title)
        .Bind(6, c.subtitle)
        .Bind(7, c.description);
    PATHWAY_TRY(cluster.Run());
    int item_position = 0;
    for (const auto& i : c.items) {
      item.Reset();
      item.Bind(1, f.id)
          .Bind(2, f.version)
          .Bind(3, i.id)
          .Bind(4, c.id)
          .Bind(5, ++item_position)
          .Bind(6, i.number)
          .Bind(7, i.title)
          .Bind(8, i.description);
      PATHWAY_TRY(item.Run());
      for (const auto& l : i.levels) {
        level.Reset();
        level.Bind(1, f.id)
            .Bind(2, f.version)
            .Bind(3, i.id)
            .Bind(4, l.level)
            .Bind(5, l.label)
            .Bind(6, l.description);
        PATHWAY_TRY(level.Run());
      }
      for (const auto& old : i.replaces) {
        PATHWAY_ASSIGN_OR_RETURN(
            auto replacement,
            db.Prepare("INSERT INTO fw_item_replacement (framework_id, version, item_id, "
                       "replaces_item_id) VALUES (?, ?, ?, ?)"));
        replacement.Bind(1, f.id).Bind(2, f.version).Bind(3, i.id).Bind(4, old);
        PATHWAY_TRY(replacement.Run());
      }
      for (const auto& ind : i.indicators) {
        indicator.Reset();
        indicator.Bind(1, f.id)
            .Bind(2, f.version)
            .Bind(3, ind.id)
            .Bind(4, i.id)
            .Bind(5, domain::IndicatorKindName(ind.kind))
            .Bind(6, ind.order)
            .Bind(7, ind.level)
            .Bind(8, ind.text)
            .Bind(9, JoinTags(ind.tags));
        PATHWAY_TRY(indicator.Run());
      }
    }
  }
  PATHWAY_ASSIGN_OR_RETURN(
      auto association,
      db.Prepare("INSERT INTO fw_association VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                 "?, ?, ?, ?, ?)"));
  int position = 0;
  for (const auto& a : f.associations) {
    association.Reset();
    association.Bind(1, f.id)
        .Bind(2, f.version)
        .Bind(3, ++position)
        .Bind(4, a.id)
        .Bind(5, a.type)
        .Bind(6, a.origin.identifier)
        .Bind(7, a.origin.uri)
        .Bind(8, a.origin.title)
        .Bind(9, a.origin.target_type)
        .Bind(10, a.destination.identifier)
        .Bind(11, a.destination.uri)
        .Bind(12, a.destination.title)
        .Bind(13, a.destination.target_type);
    if (a.sequence) {
      association.Bind(14, static_cast<std::int64_t>(*a.sequence));
    } else {
      association.BindNull(14);
    }
    association.Bind(15, a.grouping.identifier)
        .Bind(16, a.grouping.uri)
        .Bind(17, a.grouping.title)
        .Bind(18, a.notes)
        .Bind(19, a.extensions);
    PATHWAY_TRY(association.Run());
  }
  if (!f.case_groupings.empty() || !f.case_rubrics.empty()) {
    PATHWAY_ASSIGN_OR_RETURN(auto extra,
                             db.Prepare("INSERT INTO fw_case_extra VALUES (?, ?, ?, ?)"));
    extra.Bind(1, f.id).Bind(2, f.version).Bind(3, f.case_groupings).Bind(4, f.case_rubrics);
    PATHWAY_TRY(extra.Run());
  }
  return domain::Ok{};
}

Status DeleteContent(Database& db, const std::string& id, int version) {
  for (const char* table :
       {"fw_association", "fw_case_extra", "fw_item_replacement", "fw_indicator", "fw_level",
        "fw_item", "fw_cluster", "fw_scale_point", "fw_grade_level"}) {
    PATHWAY_ASSIGN_OR_RETURN(
        auto stmt,
        db.Prepare(fmt::format("DELETE FROM {} WHERE framework_id = ? AND version = ?", table)));
    stmt.Bind(1, id).Bind(2, version);
    PATHWAY_TRY(stmt.Run());
  }
  return domain::Ok{};
}

// Puts the latest published (not retired) version of the framework in the search
// index, and nothing else of it.
Status Reindex(Database& db, const std::string& id) {
  PATHWAY_ASSIGN_OR_RETURN(auto drop, db.Prepare("DELETE FROM fw_search WHERE framework_id = ?"));
  drop.Bind(1, id);
  PATHWAY_TRY(drop.Run());
  PATHWAY_ASSIGN_OR_RETURN(
      auto latest, db.Prepare("SELECT MAX(version) FROM framework_version WHERE framework_id = ? "
                              "AND status = 'published'"));
  latest.Bind(1, id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, latest.Step());
  if (!row || latest.ColumnIsNull(0)) return domain::Ok{};
  const int version = static_cast<int>(latest.ColumnInt(0));
  PATHWAY_ASSIGN_OR_RETURN(auto items, db.Prepare(R"sql(
INSERT INTO fw_search (item_title, text, framework_title, framework_id, version, item_id,
                       indicator_id, kind, tags)
SELECT i.title, i.description, v.title, i.framework_id, i.version, i.id, '', 'item', ''
FROM fw_item i JOIN framework_version v USING (framework_id, version)
WHERE i.framework_id = ?1 AND i.version = ?2
UNION ALL
SELECT i.title, d.text, v.title, d.framework_id, d.version, d.item_id, d.id, d.kind, d.tags
FROM fw_indicator d
JOIN fw_item i ON i.framework_id = d.framework_id AND i.version = d.version AND i.id = d.item_id
JOIN framework_version v ON v.framework_id = d.framework_id AND v.version = d.version
WHERE d.framework_id = ?1 AND d.version = ?2)sql"));
  items.Bind(1, id).Bind(2, version);
  return items.Run();
}

FrameworkVersionInfo ReadInfo(const Statement& row) {
  return {row.ColumnText(0), static_cast<int>(row.ColumnInt(1)),
          row.ColumnText(2), row.ColumnText(3),
          row.ColumnText(4), row.ColumnText(5),
          row.ColumnText(6), row.ColumnText(7)};
}

constexpr std::string_view kInfoSelect =
    "SELECT v.framework_id, v.version, f.kind, v.status, v.title, v.created_at, "
    "COALESCE(v.published_at, ''), COALESCE(v.retired_at, '') FROM framework_version v "
    "JOIN framework f ON f.id = v.framework_id";

Result<std::vector<FrameworkVersionInfo>> ReadInfos(Statement& stmt) {
  std::vector<FrameworkVersionInfo> infos;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return infos;
    infos.push_back(ReadInfo(stmt));
  }
}

}  // namespace

Status InsertFrameworkVersion(Database& db, const Framework& f) {
  PATHWAY_ASSIGN_OR_RETURN(auto framework,
                           db.Prepare("INSERT INTO framework (id, kind) VALUES (?, ?) "
                                      "ON CONFLICT (id) DO NOTHING"));
  framework.Bind(1, f.id).Bind(2, domain::FrameworkKindName(f.kind));
  PATHWAY_TRY(framework.Run());
  PATHWAY_ASSIGN_OR_RETURN(
      auto version, db.Prepare("INSERT INTO framework_version (framework_id, version, title, "
                               "description) VALUES (?, ?, ?, ?)"));
  version.Bind(1, f.id).Bind(2, f.version).Bind(3, f.title).Bind(4, f.description);
  PATHWAY_TRY(version.Run());
  PATHWAY_TRY(InsertContent(db, f));
  if (f.status != domain::FrameworkStatus::kDraft) {
    PATHWAY_TRY(SetVersionStatus(db, f.id, f.version, domain::FrameworkStatus::kPublished));
    if (f.status == domain::FrameworkStatus::kRetired) {
      PATHWAY_TRY(SetVersionStatus(db, f.id, f.version, domain::FrameworkStatus::kRetired));
    }
  }
  return domain::Ok{};
}

Status ReplaceDraft(Database& db, const Framework& f) {
  PATHWAY_ASSIGN_OR_RETURN(auto update,
                           db.Prepare("UPDATE framework_version SET title = ?, description = ? "
                                      "WHERE framework_id = ? AND version = ?"));
  update.Bind(1, f.title).Bind(2, f.description).Bind(3, f.id).Bind(4, f.version);
  PATHWAY_TRY(update.Run());
  if (db.Changes() == 0) return Error::NotFound("No such framework version");
  PATHWAY_TRY(DeleteContent(db, f.id, f.version));
  return InsertContent(db, f);
}

Status SetVersionStatus(Database& db, const std::string& framework_id, int version,
                        domain::FrameworkStatus status) {
  const char* sql =
      status == domain::FrameworkStatus::kPublished
          ? "UPDATE framework_version SET status = 'published', published_at = "
            "strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE framework_id = ? AND version = ?"
      : status == domain::FrameworkStatus::kRetired
          ? "UPDATE framework_version SET status = 'retired', retired_at = "
            "strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE framework_id = ? AND version = ?"
          : "UPDATE framework_version SET status = 'draft' WHERE framework_id = ? AND version = ?";
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
  stmt.Bind(1, framework_id).Bind(2, version);
  PATHWAY_TRY(stmt.Run());
  if (db.Changes() == 0) return Error::NotFound("No such framework version");
  return Reindex(db, framework_id);
}

Result<std::optional<FrameworkVersionInfo>> FindVersion(Database& db,
                                                        const std::string& framework_id,
                                                        int version) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(std::string(kInfoSelect) +
                                                 " WHERE v.framework_id = ? AND v.version = ?"));
  stmt.Bind(1, framework_id).Bind(2, version);
  PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<FrameworkVersionInfo>{};
  return std::optional<FrameworkVersionInfo>(ReadInfo(stmt));
}

Result<std::vector<FrameworkVersionInfo>> ListVersions(Database& db,
                                                       const std::string& framework_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare(std::string(kInfoSelect) + " WHERE v.framework_id = ? ORDER BY v.version DESC"));
  stmt.Bind(1, framework_id);
  return ReadInfos(stmt);
}

Result<std::vector<FrameworkVersionInfo>> ListAllVersions(Database& db) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare(std::string(kInfoSelect) + " ORDER BY v.framework_id, v.version DESC"));
  return ReadInfos(stmt);
}

Result<int> NextVersionNumber(Database& db, const std::string& framework_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare(
          "SELECT COALESCE(MAX(version), 0) + 1 FROM framework_version WHERE framework_id = ?"));
  stmt.Bind(1, framework_id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? static_cast<int>(stmt.ColumnInt(0)) : 1;
}

Result<std::optional<Framework>> LoadFrameworkVersion(Database& db, const std::string& id,
                                                      int version) {
  PATHWAY_ASSIGN_OR_RETURN(auto info, FindVersion(db, id, version));
  if (!info) return std::optional<Framework>{};
  Framework f;
  f.id = id;
  f.version = version;
  f.title = info->title;
  f.kind = domain::ParseFrameworkKind(info->kind).value_or(domain::FrameworkKind::kCompetency);
  f.status = domain::ParseFrameworkStatus(info->status).value_or(domain::FrameworkStatus::kDraft);
  {
    PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare("SELECT description FROM framework_version "
                                                   "WHERE framework_id = ? AND version = ?"));
    stmt.Bind(1, id).Bind(2, version);
    PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (row) f.description = stmt.ColumnText(0);
  }
  auto rows = [&](const char* sql) -> Result<Statement> {
    PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
    stmt.Bind(1, id).Bind(2, version);
    return stmt;
  };
  {
    PATHWAY_ASSIGN_OR_RETURN(auto stmt, rows("SELECT grade, level FROM fw_grade_level WHERE "
                                             "framework_id = ? AND version = ?"));
    for (;;) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      if (auto grade = domain::ParseGrade(stmt.ColumnText(0))) {
        f.grade_levels[*grade] = static_cast<int>(stmt.ColumnInt(1));
      }
    }
  }
  {
    PATHWAY_ASSIGN_OR_RETURN(auto stmt,
                             rows("SELECT value, label, description FROM fw_scale_point "
                                  "WHERE framework_id = ? AND version = ? ORDER BY value"));
    for (;;) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      f.rating_scale.push_back(
          {static_cast<int>(stmt.ColumnInt(0)), stmt.ColumnText(1), stmt.ColumnText(2)});
    }
  }
  std::map<std::string, std::size_t> cluster_index;
  {
    PATHWAY_ASSIGN_OR_RETURN(auto stmt, rows("SELECT id, position, title, subtitle, description "
                                             "FROM fw_cluster WHERE framework_id = ? AND "
                                             "version = ? ORDER BY position"));
    for (;;) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      domain::Cluster c;
      c.id = stmt.ColumnText(0);
      c.order = static_cast<int>(stmt.ColumnInt(1));
      c.title = stmt.ColumnText(2);
      c.subtitle = stmt.ColumnText(3);
      c.description = stmt.ColumnText(4);
      cluster_index[c.id] = f.clusters.size();
      f.clusters.push_back(std::move(c));
    }
  }
  std::map<std::string, std::pair<std::size_t, std::size_t>> item_index;
  {
    PATHWAY_ASSIGN_OR_RETURN(auto stmt, rows("SELECT id, cluster_id, number, title, description "
                                             "FROM fw_item WHERE framework_id = ? AND version = ? "
                                             "ORDER BY position"));
    for (;;) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      domain::Item item;
      item.id = stmt.ColumnText(0);
      item.number = static_cast<int>(stmt.ColumnInt(2));
      item.title = stmt.ColumnText(3);
      item.description = stmt.ColumnText(4);
      const std::size_t c = cluster_index.at(stmt.ColumnText(1));
      item_index[item.id] = {c, f.clusters[c].items.size()};
      f.clusters[c].items.push_back(std::move(item));
    }
  }
  auto item_of = [&](const std::string& item_id) -> domain::Item& {
    const auto [c, i] = item_index.at(item_id);
    return f.clusters[c].items[i];
  };
  {
    PATHWAY_ASSIGN_OR_RETURN(auto stmt, rows("SELECT item_id, level, label, description FROM "
                                             "fw_level WHERE framework_id = ? AND version = ? "
                                             "ORDER BY item_id, level"));
    for (;;) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      item_of(stmt.ColumnText(0))
          .levels.push_back(
              {static_cast<int>(stmt.ColumnInt(1)), stmt.ColumnText(2), stmt.ColumnText(3)});
    }
  }
  {
    // Kept in the order they were written: effective and ineffective interleave as the
    // source had them, so sort by rowid, which follows insertion.
    PATHWAY_ASSIGN_OR_RETURN(auto stmt, rows("SELECT item_id, id, kind, position, level, text, "
                                             "tags FROM fw_indicator WHERE framework_id = ? AND "
                                             "version = ? ORDER BY rowid"));
    for (;;) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      domain::Indicator ind;
      ind.id = stmt.ColumnText(1);
      ind.kind = stmt.ColumnText(2) == "ineffective" ? domain::IndicatorKind::kIneffective
                                                     : domain::IndicatorKind::kEffective;
      ind.order = static_cast<int>(stmt.ColumnInt(3));
      ind.level = static_cast<int>(stmt.ColumnInt(4));
      ind.text = stmt.ColumnText(5);
      ind.tags = SplitTags(stmt.ColumnText(6));
      item_of(stmt.ColumnText(0)).indicators.push_back(std::move(ind));
    }
  }
  {
    PATHWAY_ASSIGN_OR_RETURN(auto stmt, rows("SELECT item_id, replaces_item_id FROM "
                                             "fw_item_replacement WHERE framework_id = ? AND "
                                             "version = ? ORDER BY item_id, replaces_item_id"));
    for (;;) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      item_of(stmt.ColumnText(0)).replaces.push_back(stmt.ColumnText(1));
    }
  }
  {
    PATHWAY_ASSIGN_OR_RETURN(
        auto stmt, rows("SELECT id, type, origin_id, origin_uri, origin_title, origin_type, "
                        "dest_id, dest_uri, dest_title, dest_type, sequence, grouping_id, "
                        "grouping_uri, grouping_title, notes, extensions FROM fw_association "
                        "WHERE framework_id = ? AND version = ? ORDER BY position"));
    for (;;) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      domain::Association a;
      a.id = stmt.ColumnText(0);
      a.type = stmt.ColumnText(1);
      a.origin = {stmt.ColumnText(2), stmt.ColumnText(3), stmt.ColumnText(4), stmt.ColumnText(5)};
      a.destination = {stmt.ColumnText(6), stmt.ColumnText(7), stmt.ColumnText(8),
                       stmt.ColumnText(9)};
      if (!stmt.ColumnIsNull(10)) a.sequence = stmt.ColumnInt(10);
      a.grouping = {stmt.ColumnText(11), stmt.ColumnText(12), stmt.ColumnText(13), ""};
      a.notes = stmt.ColumnText(14);
      a.extensions = stmt.ColumnText(15);
      f.associations.push_back(std::move(a));
    }
  }
  {
    PATHWAY_ASSIGN_OR_RETURN(auto stmt, rows("SELECT groupings, rubrics FROM fw_case_extra WHERE "
                                             "framework_id = ? AND version = ?"));
    PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (row) {
      f.case_groupings = stmt.ColumnText(0);
      f.case_rubrics = stmt.ColumnText(1);
    }
  }
  return std::optional<Framework>(std::move(f));
}

Result<std::vector<SearchHit>> SearchFrameworks(Database& db, const std::vector<std::string>& terms,
                                                int limit) {
  std::vector<SearchHit> hits;
  if (terms.empty()) return hits;
  // Each term quoted (so no FTS5 syntax gets through) and made a prefix query.
  std::string query;
  for (const auto& term : terms) {
    std::string quoted = "\"";
    for (char c : term) {
      if (c == '"') quoted += '"';
      quoted += c;
    }
    if (!query.empty()) query += ' ';
    query += quoted + "\"*";
  }
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(R"sql(
SELECT framework_id, version, framework_title, item_id, item_title, indicator_id, kind, tags,
       highlight(fw_search, 1, char(1), char(2))
FROM fw_search WHERE fw_search MATCH ? ORDER BY bm25(fw_search, 2.0, 1.0, 0.5) LIMIT ?)sql"));
  stmt.Bind(1, query).Bind(2, limit);
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return hits;
    hits.push_back({stmt.ColumnText(0), static_cast<int>(stmt.ColumnInt(1)), stmt.ColumnText(2),
                    stmt.ColumnText(3), stmt.ColumnText(4), stmt.ColumnText(5), stmt.ColumnText(6),
                    stmt.ColumnText(7), stmt.ColumnText(8)});
  }
}

Result<std::string> PublishedVersionsFingerprint(Database& db) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto select,
      db.Prepare("SELECT COALESCE((SELECT group_concat(framework_id || ':' || version || ':' || "
                 "status, ',') FROM (SELECT framework_id, version, status FROM framework_version "
                 "WHERE status <> 'draft' ORDER BY framework_id, version)), '') || ';crosswalks:' "
                 "|| COALESCE((SELECT n FROM crosswalk_revision), 0)"));
  PATHWAY_ASSIGN_OR_RETURN(bool row, select.Step());
  return row ? select.ColumnText(0) : std::string();
}

}  // namespace pathway::store
