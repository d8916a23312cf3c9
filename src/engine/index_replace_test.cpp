// Index::ReplacePeople: replacing some people's records and whole ledgers gives what a
// fresh build from the same rows gives, in one write that readers never see half done.
#include <gtest/gtest.h>

#include "engine/index.hpp"
#include "engine/queries.hpp"

namespace pathway::engine {
namespace {

ReferenceInput Reference() {
  ReferenceInput ref;
  ref.items = {{1, "a"}, {2, "b"}};
  ref.professions = {{1, "dig"}, {2, "ops"}};
  ref.departments = {{1, "D1"}};
  ref.role_levels = {{1, "dev-1", "Developer", 1, 1, 1, 2, 3, {{1, 2, 1}, {2, 1, 1}}}};
  ref.posts = {{1, "PO1", 1, 1, 6, 3, 0, false}};
  return ref;
}

std::shared_ptr<const Snapshot> Build(const std::vector<PersonInput>& people,
                                      const std::vector<AssessmentInput>& ledger) {
  SnapshotBuilder builder;
  EXPECT_TRUE(builder.SetReference(Reference()).ok());
  for (const auto& person : people) builder.AddPerson(person);
  for (const auto& row : ledger) {
    builder.AddAssessment(row.person_id, row.item, row.level, row.confirms);
  }
  auto built = builder.Build();
  EXPECT_TRUE(built.ok());
  return *built;
}

// Everything a query can see of a person: attributes and current levels.
void ExpectSamePerson(const Snapshot& a, const Snapshot& b, std::int64_t id) {
  SCOPED_TRACE(::testing::Message() << "person " << id);
  ASSERT_EQ(a.RowOf(id) < 0, b.RowOf(id) < 0);
  if (a.RowOf(id) < 0) return;
  const auto ra = static_cast<std::uint32_t>(a.RowOf(id));
  const auto rb = static_cast<std::uint32_t>(b.RowOf(id));
  EXPECT_EQ(a.profession(ra), b.profession(rb));
  EXPECT_EQ(a.grade(ra), b.grade(rb));
  EXPECT_EQ(a.region(ra), b.region(rb));
  EXPECT_EQ(a.department(ra), b.department(rb));
  EXPECT_EQ(a.clearance(ra), b.clearance(rb));
  EXPECT_EQ(a.post(ra), b.post(rb));
  for (std::size_t item = 0; item < a.catalog().items.size(); ++item) {
    EXPECT_EQ(a.level_column(item).Get(ra), b.level_column(item).Get(rb)) << "item " << item;
  }
}

const std::vector<PersonInput> kPeople = {
    {1, 1, 2, 6, 1, 2, {}, 1}, {2, 1, 3, 6, 1, -1, {}, 0}, {3, 2, 2, 1, 0, -1, {}, 0}};
const std::vector<AssessmentInput> kLedger = {
    {1, 1, 5, true}, {1, 1, 1, false}, {1, 2, 3, false}, {2, 1, 4, true}, {3, 2, 2, true}};

TEST(IndexReplacePeople, GivesWhatAFreshBuildGivesWithNoOldLevelKept) {
  Index index(Build(kPeople, kLedger));
  const auto before = index.Current();

  // Person 1's ledger is now self-assessments only (as for a person deleted and stored
  // again under the same id); person 1 also moves profession, grade and post. Person 2
  // is gone, person 4 is new.
  PeopleReplacement changes;
  changes.removed = {2};
  changes.people = {{1, 2, 4, 2, 0, 3, domain::ClearanceStatus::kPending, 0},
                    {4, 1, 2, 6, 1, -1, {}, 1}};
  changes.ledger = {{1, 1, 2, false}, {4, 2, 6, true}, {4, 2, 1, false}};
  ASSERT_TRUE(index.ReplacePeople(changes).ok());
  const auto after = index.Current();

  const std::vector<PersonInput> people = {changes.people[0], kPeople[2], changes.people[1]};
  const std::vector<AssessmentInput> ledger = {changes.ledger[0], kLedger[4], changes.ledger[1],
                                               changes.ledger[2]};
  const auto fresh = Build(people, ledger);
  for (std::int64_t id = 1; id <= 5; ++id) ExpectSamePerson(*after, *fresh, id);
  EXPECT_EQ(after->person_count(), fresh->person_count());
  EXPECT_EQ(after->Level(static_cast<std::uint32_t>(after->RowOf(1)), 0), 2);
  EXPECT_EQ(after->Level(static_cast<std::uint32_t>(after->RowOf(1)), 1), 0);
  EXPECT_EQ(after->PostHolders(0), fresh->PostHolders(0));
  for (std::size_t p = 0; p <= 2; ++p) {
    for (std::size_t g = 0; g < kGradeCells; ++g) {
      EXPECT_EQ(after->Cell(p, g).size(), fresh->Cell(p, g).size()) << p << " " << g;
    }
  }
  // The same answers.
  MatchQuery q;
  q.role_level = "dev-1";
  q.k = 10;
  auto mine = Match(*after, q);
  auto theirs = Match(*fresh, q);
  ASSERT_TRUE(mine.ok());
  ASSERT_TRUE(theirs.ok());
  ASSERT_EQ(mine->entries.size(), theirs->entries.size());
  for (std::size_t i = 0; i < mine->entries.size(); ++i) {
    EXPECT_EQ(mine->entries[i].person_id, theirs->entries[i].person_id);
    EXPECT_EQ(mine->entries[i].score, theirs->entries[i].score);
  }

  // A reader of the snapshot before still sees it as it was.
  EXPECT_EQ(before->Level(static_cast<std::uint32_t>(before->RowOf(1)), 0), 5);
  EXPECT_GE(before->RowOf(2), 0);
  EXPECT_LT(before->RowOf(4), 0);
}

TEST(IndexReplacePeople, AReplacementThatFailsPublishesNothing) {
  Index index(Build(kPeople, kLedger));
  const auto before = index.Current();
  PeopleReplacement changes;
  changes.people = {{1, 1, 2, 6, 1, -1, {}, 0}};
  changes.ledger = {{1, 1, 3, true}, {3, 1, 3, true}};  // person 3 is not replaced
  auto refused = index.ReplacePeople(changes);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "ledger[1].person");
  EXPECT_EQ(index.Current().get(), before.get());

  changes.ledger = {};
  changes.people[0].department_id = 42;  // a department the index does not know
  refused = index.ReplacePeople(changes);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "people[0].department");
  EXPECT_EQ(index.Current().get(), before.get());
}

}  // namespace
}  // namespace pathway::engine
