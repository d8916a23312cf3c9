// The workforce index as one immutable snapshot: people as rows of compact integer
// columns (one uint8 level column per framework item), filter row sets per
// profession x grade, and the catalog (items, professions, departments, role levels
// with their pathway graph, posts). Columns are split into chunks of 65,536 rows held
// by shared_ptr, so a write copies only the chunks it changes and every other chunk is
// shared with the previous snapshot (see index.hpp).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/grade.hpp"
#include "domain/result.hpp"
#include "engine/workforce_input.hpp"

namespace pathway::engine {

using domain::Error;
using domain::Result;
using domain::Status;

inline constexpr int kChunkShift = 16;
inline constexpr std::uint32_t kChunkRows = 1u << kChunkShift;
inline constexpr std::uint32_t kChunkMask = kChunkRows - 1;

// Item level bytes: the level 1..9 in the low nibble (0 = not assessed) and
// kConfirmedBit when it came from a confirming (non-self) assessment.
inline constexpr std::uint8_t kLevelMask = 0x0F;
inline constexpr std::uint8_t kConfirmedBit = 0x80;

// A column of T split into chunks; a missing chunk reads as zeros. Reads are
// thread-safe. Set() is for the one writer building a new snapshot: it copies a chunk
// before its first change in write generation `generation` (each generation starts
// from a published, immutable snapshot).
template <typename T>
class Column {
 public:
  using Chunk = std::array<T, kChunkRows>;

  T Get(std::uint64_t row) const {
    const std::size_t c = row >> kChunkShift;
    if (c >= chunks_.size() || !chunks_[c]) return T{};
    return (*chunks_[c])[row & kChunkMask];
  }
  // The values of chunk `c`, or nullptr if it is all zeros.
  const T* ChunkData(std::size_t c) const {
    return c < chunks_.size() && chunks_[c] ? chunks_[c]->data() : nullptr;
  }
  std::size_t chunk_count() const { return chunks_.size(); }

  void Set(std::uint64_t row, T value, std::uint64_t generation) {
    const std::size_t c = row >> kChunkShift;
    if (c >= chunks_.size()) {
      if (value == T{}) return;
      chunks_.resize(c + 1);
      owner_.resize(c + 1, 0);
    }
    if (!chunks_[c]) {
      if (value == T{}) return;
      chunks_[c] = std::make_shared<Chunk>();
      owner_[c] = generation;
    } else if (owner_[c] != generation) {
      chunks_[c] = std::make_shared<Chunk>(*chunks_[c]);
      owner_[c] = generation;
    }
    (*chunks_[c])[row & kChunkMask] = value;
  }
  // Bytes held by chunks, counting shared chunks once per column.
  std::size_t bytes() const {
    std::size_t n = 0;
    for (const auto& c : chunks_) n += c ? sizeof(Chunk) : 0;
    return n;
  }

 private:
  std::vector<std::shared_ptr<Chunk>> chunks_;
  std::vector<std::uint64_t> owner_;
};

// A set of rows as sorted, disjoint, non-adjacent half-open runs [begin, end).
struct Run {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

class RowSet {
 public:
  const std::vector<Run>& runs() const { return runs_; }
  std::uint64_t size() const { return size_; }
  void Insert(std::uint32_t row);
  void Erase(std::uint32_t row);
  // Appends rows in increasing order (faster than Insert while building).
  void Append(std::uint32_t row);

 private:
  std::vector<Run> runs_;
  std::uint64_t size_ = 0;
};

// One requirement of a role level, by item code.
struct Need {
  std::uint16_t item = 0;
  std::uint8_t level = 1;
  std::uint8_t weight = 1;
};

enum class MoveKind : std::uint8_t { kPromotion, kLateral, kCrossProfession };
std::string_view MoveKindName(MoveKind kind);  // "promotion", "lateral", "cross-profession"

// A move from one role level to another in the pathway graph.
struct Move {
  std::uint32_t to = 0;
  MoveKind kind = MoveKind::kLateral;
  float carry_over = 0;  // share of the target's weighted requirements the source's cover
  float weight = 0;      // 0.1..1: lower is an easier move (more carry-over, better grade fit)
};

struct RoleLevelInfo {
  std::int64_t id = 0;
  std::string code;
  std::string title;
  std::int64_t role_id = 0;
  std::uint16_t profession = 0;  // profession code + 1; 0 if unknown
  int position = 1;
  int grade_min = 0;
  int grade_max = 0;
  std::vector<Need> needs;           // sorted by item
  std::uint32_t region_mask = 0;     // bit r: has a post in region r
  std::vector<std::uint32_t> posts;  // post codes
};

struct PostInfo {
  std::int64_t id = 0;
  std::string external_id;
  std::uint32_t role_level = 0;  // role level code
  std::uint16_t department = 0;  // department code + 1; 0 if unknown
  std::uint8_t region = 0;       // region index + 1; 0 if unknown
  std::uint8_t grade = 0;
  std::uint8_t clearance = 0;
  bool critical = false;
};

// Reference data with dense codes (index into each vector). Codes never change once
// given: upserts update in place and append new entries. Immutable once shared.
struct Catalog {
  std::vector<ItemInput> items;
  std::unordered_map<std::string, std::uint16_t> item_by_uuid;
  std::vector<std::int32_t> item_by_id;  // item_ref.id -> code, -1 if none

  std::vector<ProfessionInput> professions;
  std::unordered_map<std::string, std::uint16_t> profession_by_code;
  std::unordered_map<std::int64_t, std::uint16_t> profession_by_id;

  std::vector<DepartmentInput> departments;
  std::unordered_map<std::string, std::uint16_t> department_by_code;
  std::unordered_map<std::int64_t, std::uint16_t> department_by_id;

  std::vector<RoleLevelInfo> role_levels;
  std::unordered_map<std::string, std::uint32_t> role_level_by_code;
  std::unordered_map<std::int64_t, std::uint32_t> role_level_by_id;

  std::vector<PostInfo> posts;
  std::unordered_map<std::string, std::uint32_t> post_by_external_id;
  std::unordered_map<std::int64_t, std::uint32_t> post_by_id;

  std::vector<std::vector<Move>> moves_out;  // by role level code
  std::vector<std::vector<Move>> moves_in;   // `to` is the source role level

  // Item code of item_ref id `id`, or -1.
  int ItemCode(std::int64_t id) const {
    return id >= 0 && static_cast<std::uint64_t>(id) < item_by_id.size()
               ? item_by_id[static_cast<std::size_t>(id)]
               : -1;
  }
};

// Upserts `changes` into a copy of `base` (nullptr: an empty catalog) and rebuilds the
// role levels' posts, region masks and pathway graph. kInvalidInput (field names the
// record, e.g. "role_levels[3].requirements[0].item") if a record names an unknown id
// or breaks a range.
Result<std::shared_ptr<const Catalog>> UpsertCatalog(const Catalog* base,
                                                     const ReferenceInput& changes);

inline constexpr int kGradeCells = domain::kGradeCount + 1;  // grade + 1; 0 = unknown

// One immutable state of the index. Shared as std::shared_ptr<const Snapshot>; all
// const members are safe to call from any number of threads.
class Snapshot {
 public:
  const Catalog& catalog() const { return *catalog_; }
  std::uint32_t row_count() const { return row_count_; }
  std::uint64_t person_count() const { return person_count_; }

  // Row of the person with store id `person_id`, or -1 if not indexed.
  std::int64_t RowOf(std::int64_t person_id) const;

  // Current level (0..9) of item code `item` for `row`; 0 if not assessed.
  int Level(std::uint32_t row, std::size_t item) const {
    return levels_[item].Get(row) & kLevelMask;
  }
  const Column<std::uint8_t>& level_column(std::size_t item) const { return levels_[item]; }

  std::int64_t person_id(std::uint32_t row) const { return person_id_.Get(row); }
  // Attribute codes; 0 = unknown, else code + 1 (grade: rank + 1; region: index + 1).
  std::uint16_t profession(std::uint32_t row) const { return profession_.Get(row); }
  std::uint8_t grade(std::uint32_t row) const { return grade_.Get(row); }
  std::uint8_t region(std::uint32_t row) const { return region_.Get(row); }
  std::uint16_t department(std::uint32_t row) const { return department_.Get(row); }
  // Clearance: level + 1 in the low nibble (0 = none), ClearanceStatus in the high.
  std::uint8_t clearance(std::uint32_t row) const { return clearance_.Get(row); }
  // Post code + 1; 0 if the person holds no post.
  std::uint32_t post(std::uint32_t row) const { return post_.Get(row); }
  const Column<std::uint8_t>& grade_column() const { return grade_; }
  const Column<std::uint8_t>& region_column() const { return region_; }
  const Column<std::uint16_t>& department_column() const { return department_; }
  const Column<std::uint8_t>& clearance_column() const { return clearance_; }
  const Column<std::int64_t>& person_id_column() const { return person_id_; }

  // People with profession code+1 `profession` and grade rank+1 `grade` (0 = unknown).
  const RowSet& Cell(std::size_t profession, std::size_t grade) const;
  std::size_t profession_cells() const { return cells_.size() / kGradeCells; }

  // How many people hold post code `post` (0 = vacant).
  int PostHolders(std::uint32_t post) const { return post_holders_.Get(post); }

  // Bytes held by this snapshot's columns and row sets (the index's memory).
  std::size_t MemoryBytes() const;

 private:
  friend class SnapshotBuilder;
  friend class SnapshotEditor;

  std::shared_ptr<const Catalog> catalog_;
  std::uint32_t row_count_ = 0;
  std::uint64_t person_count_ = 0;
  std::vector<Column<std::uint8_t>> levels_;  // by item code
  Column<std::int64_t> person_id_;
  Column<std::uint16_t> profession_;
  Column<std::uint8_t> grade_;
  Column<std::uint8_t> region_;
  Column<std::uint16_t> department_;
  Column<std::uint8_t> clearance_;
  Column<std::uint32_t> post_;
  Column<std::uint32_t> row_of_person_;               // by person id: row + 1
  Column<std::uint8_t> post_holders_;                 // by post code, saturating at 255
  std::vector<std::shared_ptr<const RowSet>> cells_;  // profession x kGradeCells
};

// Builds the first snapshot from the store's rows. Call SetReference, then AddPerson
// for everyone, then AddAssessment for every ledger row in ledger order (for each
// person and item, by increasing seq), then Build. Not thread-safe, except that after
// LayOutPeople several threads may each fold a part of the ledger (disjoint sets of
// people) with AddAssessment(part, ...), merged with Merge before Build.
//
// AddAssessment folds each run of rows for one person and item into one value and
// queues it by item; Build applies the queues a column at a time. (Writing each row
// straight into its column touches a random cache line of a 150 MB index per row.)
class SnapshotBuilder {
 public:
  // Ledger rows folded by one thread.
  class LedgerPart {
   private:
    friend class SnapshotBuilder;
    struct Wide {  // rows beyond 2^27
      std::uint64_t row;
      std::uint16_t item;
      std::uint8_t value;
    };
    std::int64_t last_person = -1;
    std::int64_t last_row = -1;
    // The (person, item) run being folded: row, item code, level byte.
    std::int64_t pending_row = -1;
    int pending_item = -1;
    std::uint8_t pending_value = 0;
    // Folded values by item code: row << 5 | confirmed << 4 | level.
    std::vector<std::vector<std::uint32_t>> queued;
    std::vector<Wide> wide;
    std::int64_t skipped = 0;
  };

  Status SetReference(const ReferenceInput& reference);
  void AddPerson(const PersonInput& person);
  // Lays out the rows (the first AddAssessment or Build does it if not called).
  // kInvalidInput as for Build.
  Status LayOutPeople();
  // The first call lays out the rows. Unknown people or items are counted in
  // skipped_assessments() and otherwise ignored (the store's foreign keys prevent them).
  void AddAssessment(std::int64_t person_id, std::int64_t item, int level, bool confirms);
  // The same into `part`; safe on any number of threads (each with its own part) after
  // LayOutPeople succeeded. Each part must hold whole people, in ledger order.
  void AddAssessment(LedgerPart& part, std::int64_t person_id, std::int64_t item, int level,
                     bool confirms) const;
  // Adds a part's rows to the snapshot being built.
  void Merge(LedgerPart&& part);
  // kInvalidInput if a person names an unknown profession, department or post, or
  // has an id outside 1..2^31.
  Result<std::shared_ptr<const Snapshot>> Build();
  std::int64_t skipped_assessments() const { return skipped_; }

 private:
  Status LayOut();
  static void FlushPending(LedgerPart& part);
  void Apply(LedgerPart& part);
  std::shared_ptr<const Catalog> catalog_;
  std::vector<PersonInput> people_;
  std::unique_ptr<Snapshot> snapshot_;
  bool laid_out_ = false;
  Status layout_status_ = domain::Ok{};
  std::int64_t skipped_ = 0;
  LedgerPart own_;  // AddAssessment without a part
};

// Applies writes to a copy of a published snapshot (chunks copied on first change).
// Used by Index under its writer lock. Not thread-safe.
class SnapshotEditor {
 public:
  SnapshotEditor(const Snapshot& base, std::uint64_t generation);
  Status UpsertReference(const ReferenceInput& changes);
  Status UpsertPerson(const PersonInput& person);
  // Removes the person from every query (their row stays, unreachable).
  void RemovePerson(std::int64_t person_id);
  // Forgets every current level of the person (before their whole ledger is applied
  // again). It is not an error if the person is not indexed.
  void ClearAssessments(std::int64_t person_id);
  // Applies one new ledger row (the latest for its person and item).
  Status ApplyAssessment(const AssessmentInput& assessment);
  std::shared_ptr<const Snapshot> Finish();

 private:
  void SetPostHolders(std::uint32_t post_plus_one, int delta);
  std::unique_ptr<Snapshot> snapshot_;
  std::uint64_t generation_;
};

}  // namespace pathway::engine
