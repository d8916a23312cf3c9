#include "engine/snapshot.hpp"

#include <algorithm>
#include <numeric>

namespace pathway::engine {
namespace {

constexpr std::int64_t kMaxItemRefId = 1 << 24;
constexpr std::int64_t kMaxPersonId = std::int64_t{1} << 31;
constexpr std::size_t kMaxLateralMoves = 16;
constexpr float kMinCarryOver = 0.25f;

std::string Field(std::string_view list, std::size_t index, std::string_view column) {
  return std::string(list) + "[" + std::to_string(index) + "]." + std::string(column);
}

Error Invalid(std::string field, std::string message) {
  return Error::InvalidInput(std::move(field), std::move(message));
}

void BuildMoves(Catalog& c) {
  const std::size_t n = c.role_levels.size();
  c.moves_out.assign(n, {});
  c.moves_in.assign(n, {});
  // Inverted index: item -> (role level, need).
  std::vector<std::vector<std::pair<std::uint32_t, Need>>> by_item(c.items.size());
  std::vector<std::int64_t> denominator(n, 0);
  for (std::uint32_t b = 0; b < n; ++b) {
    for (const Need& need : c.role_levels[b].needs) {
      by_item[need.item].push_back({b, need});
      denominator[b] += std::int64_t{need.weight} * need.level;
    }
  }
  // Next position of each role: the promotion target.
  std::unordered_map<std::int64_t, std::vector<std::uint32_t>> ladders;
  for (std::uint32_t a = 0; a < n; ++a) ladders[c.role_levels[a].role_id].push_back(a);
  for (auto& [role, ladder] : ladders) {
    std::sort(ladder.begin(), ladder.end(), [&](std::uint32_t x, std::uint32_t y) {
      return c.role_levels[x].position < c.role_levels[y].position;
    });
  }
  std::vector<std::int64_t> numerator(n, 0);
  std::vector<std::uint32_t> touched;
  for (std::uint32_t a = 0; a < n; ++a) {
    const RoleLevelInfo& from = c.role_levels[a];
    touched.clear();
    for (const Need& mine : from.needs) {
      for (const auto& [b, theirs] : by_item[mine.item]) {
        if (numerator[b] == 0) touched.push_back(b);
        numerator[b] += std::int64_t{theirs.weight} * std::min(mine.level, theirs.level);
      }
    }
    auto carry_of = [&](std::uint32_t b) {
      return denominator[b] == 0
                 ? 1.0f
                 : static_cast<float>(numerator[b]) / static_cast<float>(denominator[b]);
    };
    auto weight_of = [&](std::uint32_t b, float carry) {
      const RoleLevelInfo& to = c.role_levels[b];
      const float grade_step = to.grade_min > from.grade_max ? 0.2f : 0.0f;
      return std::min(1.0f, 0.1f + 0.6f * (1.0f - carry) + grade_step);
    };
    std::int64_t promotion = -1;
    const auto& ladder = ladders[from.role_id];
    for (std::size_t i = 0; i + 1 < ladder.size(); ++i) {
      if (ladder[i] == a) promotion = ladder[i + 1];
    }
    std::vector<Move> lateral;
    for (std::uint32_t b : touched) {
      const RoleLevelInfo& to = c.role_levels[b];
      if (b == a || static_cast<std::int64_t>(b) == promotion) continue;
      if (to.role_id == from.role_id) continue;  // down or skipping rungs of one ladder
      const bool grade_fits = to.grade_min <= from.grade_max + 1 && to.grade_max >= from.grade_min;
      const float carry = carry_of(b);
      if (!grade_fits || carry < kMinCarryOver) continue;
      const MoveKind kind = to.profession == from.profession && to.profession != 0
                                ? MoveKind::kLateral
                                : MoveKind::kCrossProfession;
      lateral.push_back({b, kind, carry, weight_of(b, carry)});
    }
    std::sort(lateral.begin(), lateral.end(), [](const Move& x, const Move& y) {
      return x.weight != y.weight ? x.weight < y.weight : x.to < y.to;
    });
    if (lateral.size() > kMaxLateralMoves) lateral.resize(kMaxLateralMoves);
    if (promotion >= 0) {
      const auto b = static_cast<std::uint32_t>(promotion);
      const float carry = carry_of(b);
      lateral.push_back({b, MoveKind::kPromotion, carry, weight_of(b, carry)});
    }
    std::sort(lateral.begin(), lateral.end(),
              [](const Move& x, const Move& y) { return x.to < y.to; });
    for (const Move& move : lateral) {
      c.moves_out[a].push_back(move);
      Move back = move;
      back.to = a;
      c.moves_in[move.to].push_back(back);
    }
    for (std::uint32_t b : touched) numerator[b] = 0;
  }
}

}  // namespace

std::string_view MoveKindName(MoveKind kind) {
  switch (kind) {
    case MoveKind::kPromotion:
      return "promotion";
    case MoveKind::kLateral:
      return "lateral";
    case MoveKind::kCrossProfession:
      return "cross-profession";
  }
  return "lateral";
}

void RowSet::Append(std::uint32_t row) {
  if (!runs_.empty() && runs_.back().end == row) {
    ++runs_.back().end;
  } else {
    runs_.push_back({row, row + 1});
  }
  ++size_;
}

void RowSet::Insert(std::uint32_t row) {
  // First run that begins after `row`.
  auto next = std::upper_bound(runs_.begin(), runs_.end(), row,
                               [](std::uint32_t r, const Run& run) { return r < run.begin; });
  if (next != runs_.begin()) {
    auto prev = std::prev(next);
    if (row < prev->end) return;  // already present
    if (prev->end == row) {
      ++prev->end;
      if (next != runs_.end() && next->begin == prev->end) {
        prev->end = next->end;
        runs_.erase(next);
      }
      ++size_;
      return;
    }
  }
  if (next != runs_.end() && next->begin == row + 1) {
    next->begin = row;
  } else {
    runs_.insert(next, Run{row, row + 1});
  }
  ++size_;
}

void RowSet::Erase(std::uint32_t row) {
  auto next = std::upper_bound(runs_.begin(), runs_.end(), row,
                               [](std::uint32_t r, const Run& run) { return r < run.begin; });
  if (next == runs_.begin()) return;
  auto run = std::prev(next);
  if (row >= run->end) return;
  --size_;
  if (run->begin == row && run->end == row + 1) {
    runs_.erase(run);
  } else if (run->begin == row) {
    ++run->begin;
  } else if (run->end == row + 1) {
    --run->end;
  } else {
    const Run tail{row + 1, run->end};
    run->end = row;
    runs_.insert(std::next(run), tail);
  }
}

Result<std::shared_ptr<const Catalog>> UpsertCatalog(const Catalog* base,
                                                     const ReferenceInput& changes) {
  auto c = base ? std::make_shared<Catalog>(*base) : std::make_shared<Catalog>();
  for (std::size_t i = 0; i < changes.items.size(); ++i) {
    const ItemInput& item = changes.items[i];
    if (item.id <= 0 || item.id >= kMaxItemRefId) {
      return Invalid(Field("items", i, "id"), "Item reference ids must be 1 to 16777215");
    }
    const auto slot = static_cast<std::size_t>(item.id);
    if (slot >= c->item_by_id.size()) c->item_by_id.resize(slot + 1, -1);
    if (c->item_by_id[slot] >= 0) {
      auto& existing = c->items[static_cast<std::size_t>(c->item_by_id[slot])];
      c->item_by_uuid.erase(existing.item_id);
      existing.item_id = item.item_id;
      c->item_by_uuid[item.item_id] = static_cast<std::uint16_t>(c->item_by_id[slot]);
      continue;
    }
    if (c->items.size() >= 0xFFFF) return Invalid(Field("items", i, "id"), "Too many items");
    c->item_by_id[slot] = static_cast<std::int32_t>(c->items.size());
    c->item_by_uuid[item.item_id] = static_cast<std::uint16_t>(c->items.size());
    c->items.push_back(item);
  }
  auto upsert_named = [](auto& list, auto& by_code, auto& by_id, const auto& row) {
    auto found = by_id.find(row.id);
    if (found != by_id.end()) {
      by_code.erase(list[found->second].code);
      list[found->second] = row;
      by_code[row.code] = found->second;
      return;
    }
    const auto code = static_cast<std::uint16_t>(list.size());
    by_id[row.id] = code;
    by_code[row.code] = code;
    list.push_back(row);
  };
  for (const auto& p : changes.professions) {
    upsert_named(c->professions, c->profession_by_code, c->profession_by_id, p);
  }
  for (const auto& d : changes.departments) {
    upsert_named(c->departments, c->department_by_code, c->department_by_id, d);
  }
  if (c->professions.size() >= 0xFFFF || c->departments.size() >= 0xFFFF) {
    return Invalid("professions", "Too many professions or departments");
  }

  for (std::size_t i = 0; i < changes.role_levels.size(); ++i) {
    const RoleLevelInput& in = changes.role_levels[i];
    if (in.grade_min < 0 || in.grade_max >= domain::kGradeCount || in.grade_min > in.grade_max) {
      return Invalid(Field("role_levels", i, "grade_max"), "Grades must be a valid range");
    }
    RoleLevelInfo info;
    info.id = in.id;
    info.code = in.code;
    info.title = in.title;
    info.role_id = in.role_id;
    info.position = in.position;
    info.grade_min = in.grade_min;
    info.grade_max = in.grade_max;
    if (in.profession_id != 0) {
      auto p = c->profession_by_id.find(in.profession_id);
      if (p == c->profession_by_id.end()) {
        return Invalid(Field("role_levels", i, "profession"), "Unknown profession");
      }
      info.profession = static_cast<std::uint16_t>(p->second + 1);
    }
    for (std::size_t r = 0; r < in.requirements.size(); ++r) {
      const RequirementInput& req = in.requirements[r];
      const int item = c->ItemCode(req.item);
      const std::string field = Field("role_levels", i, "requirements[" + std::to_string(r) + "]");
      if (item < 0) return Invalid(field + ".item", "Unknown item");
      if (req.level < 1 || req.level > 9) return Invalid(field + ".level", "Level must be 1 to 9");
      if (req.weight < 1 || req.weight > 10) {
        return Invalid(field + ".weight", "Weight must be 1 to 10");
      }
      info.needs.push_back({static_cast<std::uint16_t>(item), static_cast<std::uint8_t>(req.level),
                            static_cast<std::uint8_t>(req.weight)});
    }
    std::sort(info.needs.begin(), info.needs.end(),
              [](const Need& x, const Need& y) { return x.item < y.item; });
    for (std::size_t r = 1; r < info.needs.size(); ++r) {
      if (info.needs[r].item == info.needs[r - 1].item) {
        return Invalid(Field("role_levels", i, "requirements"), "An item is required twice");
      }
    }
    auto found = c->role_level_by_id.find(in.id);
    if (found != c->role_level_by_id.end()) {
      c->role_level_by_code.erase(c->role_levels[found->second].code);
      c->role_levels[found->second] = std::move(info);
      c->role_level_by_code[in.code] = found->second;
    } else {
      const auto code = static_cast<std::uint32_t>(c->role_levels.size());
      c->role_level_by_id[in.id] = code;
      c->role_level_by_code[in.code] = code;
      c->role_levels.push_back(std::move(info));
    }
  }

  c->posts.reserve(c->posts.size() + changes.posts.size());
  c->post_by_id.reserve(c->post_by_id.size() + changes.posts.size());
  c->post_by_external_id.reserve(c->post_by_external_id.size() + changes.posts.size());
  for (std::size_t i = 0; i < changes.posts.size(); ++i) {
    const PostInput& in = changes.posts[i];
    PostInfo info;
    info.id = in.id;
    info.external_id = in.external_id;
    auto rl = c->role_level_by_id.find(in.role_level_id);
    if (rl == c->role_level_by_id.end()) {
      return Invalid(Field("posts", i, "role_level"), "Unknown role level");
    }
    info.role_level = rl->second;
    if (in.department_id != 0) {
      auto d = c->department_by_id.find(in.department_id);
      if (d == c->department_by_id.end()) {
        return Invalid(Field("posts", i, "department"), "Unknown department");
      }
      info.department = static_cast<std::uint16_t>(d->second + 1);
    }
    if (in.region < -1 || in.region >= domain::kRegionCount) {
      return Invalid(Field("posts", i, "region"), "Unknown region");
    }
    info.region = static_cast<std::uint8_t>(in.region + 1);
    if (in.grade < 0 || in.grade >= domain::kGradeCount) {
      return Invalid(Field("posts", i, "grade"), "Unknown grade");
    }
    info.grade = static_cast<std::uint8_t>(in.grade);
    info.clearance = static_cast<std::uint8_t>(in.clearance);
    info.critical = in.critical;
    auto found = c->post_by_id.find(in.id);
    if (found != c->post_by_id.end()) {
      c->post_by_external_id.erase(c->posts[found->second].external_id);
      c->posts[found->second] = std::move(info);
      c->post_by_external_id[in.external_id] = found->second;
    } else {
      const auto code = static_cast<std::uint32_t>(c->posts.size());
      c->post_by_id[in.id] = code;
      c->post_by_external_id[in.external_id] = code;
      c->posts.push_back(std::move(info));
    }
  }

  for (auto& rl : c->role_levels) {
    rl.posts.clear();
    rl.region_mask = 0;
  }
  for (std::uint32_t p = 0; p < c->posts.size(); ++p) {
    RoleLevelInfo& rl = c->role_levels[c->posts[p].role_level];
    rl.posts.push_back(p);
    if (c->posts[p].region != 0) rl.region_mask |= 1u << (c->posts[p].region - 1);
  }
  if (base == nullptr || !changes.role_levels.empty() || !changes.items.empty() ||
      !changes.professions.empty()) {
    BuildMoves(*c);
  }
  return std::shared_ptr<const Catalog>(std::move(c));
}

std::int64_t Snapshot::RowOf(std::int64_t person_id) const {
  if (person_id <= 0 || person_id >= kMaxPersonId) return -1;
  const std::uint32_t r = row_of_person_.Get(static_cast<std::uint64_t>(person_id));
  return r == 0 ? -1 : static_cast<std::int64_t>(r) - 1;
}

const RowSet& Snapshot::Cell(std::size_t profession, std::size_t grade) const {
  static const RowSet kEmpty;
  const std::size_t i = profession * kGradeCells + grade;
  return i < cells_.size() && cells_[i] ? *cells_[i] : kEmpty;
}

std::size_t Snapshot::MemoryBytes() const {
  std::size_t n = 0;
  for (const auto& column : levels_) n += column.bytes();
  n += person_id_.bytes() + profession_.bytes() + grade_.bytes() + region_.bytes() +
       department_.bytes() + clearance_.bytes() + post_.bytes() + row_of_person_.bytes() +
       post_holders_.bytes();
  for (const auto& cell : cells_) n += cell ? cell->runs().capacity() * sizeof(Run) : 0;
  const Catalog& c = *catalog_;
  n += c.posts.size() * (sizeof(PostInfo) + 48) + c.role_levels.size() * sizeof(RoleLevelInfo);
  for (const auto& rl : c.role_levels) n += rl.needs.size() * sizeof(Need) + rl.posts.size() * 4;
  for (const auto& moves : c.moves_out) n += 2 * moves.size() * sizeof(Move);
  return n;
}

// ---------------------------------------------------------------------------------
// SnapshotBuilder

Status SnapshotBuilder::SetReference(const ReferenceInput& reference) {
  PATHWAY_ASSIGN_OR_RETURN(catalog_, UpsertCatalog(nullptr, reference));
  return domain::Ok{};
}

void SnapshotBuilder::AddPerson(const PersonInput& person) { people_.push_back(person); }

Status SnapshotBuilder::LayOut() {
  laid_out_ = true;
  if (!catalog_) PATHWAY_TRY(SetReference({}));
  const Catalog& c = *catalog_;
  auto s = std::make_unique<Snapshot>();
  s->catalog_ = catalog_;
  s->levels_.resize(c.items.size());
  struct Coded {
    std::uint16_t profession;
    std::uint8_t grade;
    std::uint32_t index;
  };
  std::vector<Coded> order(people_.size());
  for (std::size_t i = 0; i < people_.size(); ++i) {
    const PersonInput& p = people_[i];
    auto field = [&](std::string_view column) { return Field("people", i, column); };
    if (p.id <= 0 || p.id >= kMaxPersonId)
      return Invalid(field("id"), "Person ids must be 1..2^31");
    std::uint16_t profession = 0;
    if (p.profession_id != 0) {
      auto found = c.profession_by_id.find(p.profession_id);
      if (found == c.profession_by_id.end())
        return Invalid(field("profession"), "Unknown profession");
      profession = static_cast<std::uint16_t>(found->second + 1);
    }
    if (p.grade < -1 || p.grade >= domain::kGradeCount)
      return Invalid(field("grade"), "Unknown grade");
    order[i] = {profession, static_cast<std::uint8_t>(p.grade + 1), static_cast<std::uint32_t>(i)};
  }
  std::sort(order.begin(), order.end(), [&](const Coded& x, const Coded& y) {
    if (x.profession != y.profession) return x.profession < y.profession;
    if (x.grade != y.grade) return x.grade < y.grade;
    return people_[x.index].id < people_[y.index].id;
  });
  std::vector<std::shared_ptr<RowSet>> cells((c.professions.size() + 1) * kGradeCells);
  constexpr std::uint64_t kGeneration = 1;
  std::uint32_t row = 0;
  for (const Coded& coded : order) {
    const PersonInput& p = people_[coded.index];
    auto field = [&](std::string_view column) { return Field("people", coded.index, column); };
    if (s->row_of_person_.Get(static_cast<std::uint64_t>(p.id)) != 0) continue;  // duplicate
    std::uint16_t department = 0;
    if (p.department_id != 0) {
      auto found = c.department_by_id.find(p.department_id);
      if (found == c.department_by_id.end())
        return Invalid(field("department"), "Unknown department");
      department = static_cast<std::uint16_t>(found->second + 1);
    }
    std::uint32_t post = 0;
    if (p.post_id != 0) {
      auto found = c.post_by_id.find(p.post_id);
      if (found == c.post_by_id.end()) return Invalid(field("post"), "Unknown post");
      post = found->second + 1;
    }
    if (p.region < -1 || p.region >= domain::kRegionCount)
      return Invalid(field("region"), "Unknown region");
    if (p.clearance < -1 || p.clearance > 3)
      return Invalid(field("clearance"), "Unknown clearance");
    s->person_id_.Set(row, p.id, kGeneration);
    s->profession_.Set(row, coded.profession, kGeneration);
    s->grade_.Set(row, coded.grade, kGeneration);
    s->region_.Set(row, static_cast<std::uint8_t>(p.region + 1), kGeneration);
    s->department_.Set(row, department, kGeneration);
    s->clearance_.Set(
        row,
        static_cast<std::uint8_t>((p.clearance + 1) | (static_cast<int>(p.clearance_status) << 4)),
        kGeneration);
    s->post_.Set(row, post, kGeneration);
    s->row_of_person_.Set(static_cast<std::uint64_t>(p.id), row + 1, kGeneration);
    if (post != 0) {
      const auto held = s->post_holders_.Get(post - 1);
      if (held < 255)
        s->post_holders_.Set(post - 1, static_cast<std::uint8_t>(held + 1), kGeneration);
    }
    auto& cell = cells[std::size_t{coded.profession} * kGradeCells + coded.grade];
    if (!cell) cell = std::make_shared<RowSet>();
    cell->Append(row);
    ++row;
  }
  s->row_count_ = row;
  s->person_count_ = row;
  s->cells_.assign(cells.begin(), cells.end());
  people_.clear();
  people_.shrink_to_fit();
  snapshot_ = std::move(s);
  return domain::Ok{};
}

Status SnapshotBuilder::LayOutPeople() {
  if (!laid_out_) layout_status_ = LayOut();
  return layout_status_;
}

void SnapshotBuilder::AddAssessment(std::int64_t person_id, std::int64_t item, int level,
                                    bool confirms) {
  if (!laid_out_) layout_status_ = LayOut();
  if (!layout_status_.ok()) return;
  AddAssessment(own_, person_id, item, level, confirms);
}

void SnapshotBuilder::AddAssessment(LedgerPart& part, std::int64_t person_id, std::int64_t item,
                                    int level, bool confirms) const {
  if (!laid_out_ || !layout_status_.ok()) return;
  if (person_id != part.last_person) {
    part.last_person = person_id;
    part.last_row = snapshot_->RowOf(person_id);
  }
  const int code = snapshot_->catalog_->ItemCode(item);
  if (part.last_row < 0 || code < 0 || level < 1 || level > 9) {
    ++part.skipped;
    return;
  }
  if (part.last_row != part.pending_row || code != part.pending_item) {
    FlushPending(part);
    if (part.queued.empty()) part.queued.resize(snapshot_->levels_.size());
    part.pending_row = part.last_row;
    part.pending_item = code;
    part.pending_value = 0;
  }
  // domain::Confirms: the latest confirming row wins, else the latest self-assessment.
  if (confirms) {
    part.pending_value = static_cast<std::uint8_t>(level | kConfirmedBit);
  } else if ((part.pending_value & kConfirmedBit) == 0) {
    part.pending_value = static_cast<std::uint8_t>(level);
  }
}

void SnapshotBuilder::FlushPending(LedgerPart& part) {
  if (part.pending_row < 0) return;
  const auto row = static_cast<std::uint64_t>(part.pending_row);
  const auto item = static_cast<std::size_t>(part.pending_item);
  const std::uint8_t value = part.pending_value;
  part.pending_row = -1;
  if (row >= (std::uint64_t{1} << 27)) {
    part.wide.push_back({row, static_cast<std::uint16_t>(item), value});
    return;
  }
  part.queued[item].push_back(static_cast<std::uint32_t>(row << 5) |
                              ((value & kConfirmedBit) != 0 ? 16u : 0u) | (value & kLevelMask));
}

void SnapshotBuilder::Merge(LedgerPart&& part) {
  if (!laid_out_ || !layout_status_.ok()) return;
  Apply(part);
}

void SnapshotBuilder::Apply(LedgerPart& part) {
  FlushPending(part);
  skipped_ += part.skipped;
  part.skipped = 0;
  // The same rule as for single rows: runs of one person and item fold the same way.
  auto apply = [](Column<std::uint8_t>& column, std::uint64_t row, std::uint8_t value) {
    if ((value & kConfirmedBit) != 0 || (column.Get(row) & kConfirmedBit) == 0) {
      column.Set(row, value, 1);
    }
  };
  for (std::size_t item = 0; item < part.queued.size(); ++item) {
    auto& column = snapshot_->levels_[item];
    for (const std::uint32_t e : part.queued[item]) {
      apply(column, e >> 5,
            static_cast<std::uint8_t>((e & kLevelMask) | ((e & 16u) != 0 ? kConfirmedBit : 0)));
    }
    std::vector<std::uint32_t>().swap(part.queued[item]);
  }
  for (const auto& w : part.wide) apply(snapshot_->levels_[w.item], w.row, w.value);
  part = LedgerPart{};
}

Result<std::shared_ptr<const Snapshot>> SnapshotBuilder::Build() {
  if (!laid_out_) layout_status_ = LayOut();
  PATHWAY_TRY(layout_status_);
  Apply(own_);
  laid_out_ = false;
  return std::shared_ptr<const Snapshot>(std::move(snapshot_));
}

// ---------------------------------------------------------------------------------
// SnapshotEditor

SnapshotEditor::SnapshotEditor(const Snapshot& base, std::uint64_t generation)
    : snapshot_(std::make_unique<Snapshot>(base)), generation_(generation) {}

Status SnapshotEditor::UpsertReference(const ReferenceInput& changes) {
  PATHWAY_ASSIGN_OR_RETURN(snapshot_->catalog_, UpsertCatalog(snapshot_->catalog_.get(), changes));
  const Catalog& c = *snapshot_->catalog_;
  snapshot_->levels_.resize(c.items.size());
  snapshot_->cells_.resize((c.professions.size() + 1) * kGradeCells);
  return domain::Ok{};
}

void SnapshotEditor::SetPostHolders(std::uint32_t post_plus_one, int delta) {
  if (post_plus_one == 0) return;
  const int held = snapshot_->post_holders_.Get(post_plus_one - 1) + delta;
  snapshot_->post_holders_.Set(post_plus_one - 1,
                               static_cast<std::uint8_t>(std::clamp(held, 0, 255)), generation_);
}

Status SnapshotEditor::UpsertPerson(const PersonInput& p) {
  Snapshot& s = *snapshot_;
  const Catalog& c = *s.catalog_;
  if (p.id <= 0 || p.id >= kMaxPersonId) return Invalid("id", "Person ids must be 1..2^31");
  std::uint16_t profession = 0;
  if (p.profession_id != 0) {
    auto found = c.profession_by_id.find(p.profession_id);
    if (found == c.profession_by_id.end()) return Invalid("profession", "Unknown profession");
    profession = static_cast<std::uint16_t>(found->second + 1);
  }
  std::uint16_t department = 0;
  if (p.department_id != 0) {
    auto found = c.department_by_id.find(p.department_id);
    if (found == c.department_by_id.end()) return Invalid("department", "Unknown department");
    department = static_cast<std::uint16_t>(found->second + 1);
  }
  std::uint32_t post = 0;
  if (p.post_id != 0) {
    auto found = c.post_by_id.find(p.post_id);
    if (found == c.post_by_id.end()) return Invalid("post", "Unknown post");
    post = found->second + 1;
  }
  if (p.grade < -1 || p.grade >= domain::kGradeCount) return Invalid("grade", "Unknown grade");
  if (p.region < -1 || p.region >= domain::kRegionCount) return Invalid("region", "Unknown region");
  if (p.clearance < -1 || p.clearance > 3) return Invalid("clearance", "Unknown clearance");
  const auto grade = static_cast<std::uint8_t>(p.grade + 1);

  std::int64_t existing = s.RowOf(p.id);
  std::uint32_t row;
  if (existing >= 0) {
    row = static_cast<std::uint32_t>(existing);
    const std::size_t old_cell =
        std::size_t{s.profession_.Get(row)} * kGradeCells + s.grade_.Get(row);
    auto updated = std::make_shared<RowSet>(*s.cells_[old_cell]);
    updated->Erase(row);
    s.cells_[old_cell] = std::move(updated);
    SetPostHolders(s.post_.Get(row), -1);
  } else {
    row = s.row_count_++;
    ++s.person_count_;
    s.row_of_person_.Set(static_cast<std::uint64_t>(p.id), row + 1, generation_);
  }
  s.person_id_.Set(row, p.id, generation_);
  s.profession_.Set(row, profession, generation_);
  s.grade_.Set(row, grade, generation_);
  s.region_.Set(row, static_cast<std::uint8_t>(p.region + 1), generation_);
  s.department_.Set(row, department, generation_);
  s.clearance_.Set(
      row,
      static_cast<std::uint8_t>((p.clearance + 1) | (static_cast<int>(p.clearance_status) << 4)),
      generation_);
  s.post_.Set(row, post, generation_);
  SetPostHolders(post, +1);
  const std::size_t cell = std::size_t{profession} * kGradeCells + grade;
  auto updated =
      s.cells_[cell] ? std::make_shared<RowSet>(*s.cells_[cell]) : std::make_shared<RowSet>();
  updated->Insert(row);
  s.cells_[cell] = std::move(updated);
  return domain::Ok{};
}

void SnapshotEditor::RemovePerson(std::int64_t person_id) {
  Snapshot& s = *snapshot_;
  const std::int64_t existing = s.RowOf(person_id);
  if (existing < 0) return;
  const auto row = static_cast<std::uint32_t>(existing);
  const std::size_t cell = std::size_t{s.profession_.Get(row)} * kGradeCells + s.grade_.Get(row);
  auto updated = std::make_shared<RowSet>(*s.cells_[cell]);
  updated->Erase(row);
  s.cells_[cell] = std::move(updated);
  SetPostHolders(s.post_.Get(row), -1);
  s.row_of_person_.Set(static_cast<std::uint64_t>(person_id), 0, generation_);
  --s.person_count_;
}

void SnapshotEditor::ClearAssessments(std::int64_t person_id) {
  Snapshot& s = *snapshot_;
  const std::int64_t row = s.RowOf(person_id);
  if (row < 0) return;
  const auto r = static_cast<std::uint64_t>(row);
  for (auto& column : s.levels_) {
    if (column.Get(r) != 0) column.Set(r, 0, generation_);
  }
}

Status SnapshotEditor::ApplyAssessment(const AssessmentInput& a) {
  Snapshot& s = *snapshot_;
  const std::int64_t row = s.RowOf(a.person_id);
  if (row < 0) return Invalid("person", "Unknown person");
  const int code = s.catalog_->ItemCode(a.item);
  if (code < 0) return Invalid("item", "Unknown item");
  if (a.level < 1 || a.level > 9) return Invalid("level", "Level must be 1 to 9");
  auto& column = s.levels_[static_cast<std::size_t>(code)];
  const auto r = static_cast<std::uint64_t>(row);
  if (a.confirms) {
    column.Set(r, static_cast<std::uint8_t>(a.level | kConfirmedBit), generation_);
  } else if ((column.Get(r) & kConfirmedBit) == 0) {
    column.Set(r, static_cast<std::uint8_t>(a.level), generation_);
  }
  return domain::Ok{};
}

std::shared_ptr<const Snapshot> SnapshotEditor::Finish() {
  return std::shared_ptr<const Snapshot>(std::move(snapshot_));
}

}  // namespace pathway::engine
