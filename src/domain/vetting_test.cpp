// The rules of vetting input: decisions, notes, read reasons and clearance levels.
#include "domain/vetting.hpp"

#include <gtest/gtest.h>

namespace pathway::domain {
namespace {

constexpr const char* kOpened = "2027-01-02";
constexpr const char* kToday = "2027-01-15";

std::string FieldOf(const VettingDecisionInput& input) {
  auto checked = CheckVettingDecision(input, kOpened, kToday);
  if (checked.ok()) return "";
  EXPECT_EQ(checked.error().code, ErrorCode::kInvalidInput);
  return checked.error().field;
}

TEST(VettingDecision, AGrantNeedsALevelAReasonAndAReviewAfterTheDecision) {
  auto grant =
      CheckVettingDecision({"Granted", "sc", "2027-01-10", "2032-01-10", "Clear"}, kOpened, kToday);
  ASSERT_TRUE(grant.ok());
  EXPECT_EQ(grant->outcome, VettingOutcome::kGranted);
  EXPECT_EQ(grant->granted_level, Clearance::kSC);
  EXPECT_EQ(grant->review_due, "2032-01-10");
  EXPECT_EQ(FieldOf({"granted", "SC", "2027-01-10", "2032-01-10", ""}), "reason");
  EXPECT_EQ(FieldOf({"granted", "SC", "2027-01-10", "2032-01-10", " \n "}), "reason");
  EXPECT_EQ(FieldOf({"granted", "", "2027-01-10", "2032-01-10", "r"}), "granted_level");
  EXPECT_EQ(FieldOf({"granted", "TS", "2027-01-10", "2032-01-10", "r"}), "granted_level");
  EXPECT_EQ(FieldOf({"granted", "SC", "2027-01-10", "", "r"}), "review_due");
  EXPECT_EQ(FieldOf({"granted", "SC", "2027-01-10", "2027-01-10", "r"}), "review_due");
  EXPECT_EQ(FieldOf({"granted", "SC", "2027-01-10", "2027-13-01", "r"}), "review_due");
}

TEST(VettingDecision, DatesComeInOrder) {
  EXPECT_EQ(FieldOf({"refused", "", "2027-01-01", "", "r"}), "decided_on");  // before opening
  EXPECT_EQ(FieldOf({"refused", "", "2027-01-16", "", "r"}), "decided_on");  // the future
  EXPECT_EQ(FieldOf({"refused", "", "15/01/2027", "", "r"}), "decided_on");
  auto today = CheckVettingDecision({"withdrawn", "", "", "", "r"}, kOpened, kToday);
  ASSERT_TRUE(today.ok());
  EXPECT_EQ(today->decided_on, kToday);
}

TEST(VettingDecision, OnlyAGrantTakesALevelOrAReviewDate) {
  EXPECT_EQ(FieldOf({"refused", "SC", "", "", "r"}), "granted_level");
  EXPECT_EQ(FieldOf({"withdrawn", "", "", "2030-01-01", "r"}), "review_due");
  EXPECT_EQ(FieldOf({"perhaps", "", "", "", "r"}), "outcome");
  EXPECT_EQ(FieldOf({"", "", "", "", "r"}), "outcome");
}

TEST(VettingNote, TextUpToTheLimitWithLineBreaks) {
  EXPECT_TRUE(CheckVettingNote("one\r\ntwo\nthree").ok());
  EXPECT_TRUE(CheckVettingNote(std::string(kMaxVettingNote, 'a')).ok());
  // The limit counts characters, not bytes.
  std::string accented;
  for (std::size_t i = 0; i < kMaxVettingNote; ++i) accented += "é";
  EXPECT_TRUE(CheckVettingNote(accented).ok());
  EXPECT_EQ(CheckVettingNote(std::string(kMaxVettingNote + 1, 'a')).error().field, "text");
  EXPECT_EQ(CheckVettingNote("").error().field, "text");
  EXPECT_EQ(CheckVettingNote("bell\a").error().field, "text");
  EXPECT_EQ(CheckVettingNote("\xff", "note").error().field, "note");
}

TEST(VettingNote, AReasonToReadIsOneShortLine) {
  EXPECT_TRUE(CheckReadReason("Preparing the interview").ok());
  EXPECT_EQ(CheckReadReason("").error().field, "reason");
  EXPECT_EQ(CheckReadReason("two\nlines").error().field, "reason");
  EXPECT_EQ(CheckReadReason(std::string(kMaxReadReason + 1, 'r')).error().field, "reason");
}

TEST(VettingNames, RoundTrip) {
  for (auto kind : {VettingCaseKind::kNew, VettingCaseKind::kRenewal, VettingCaseKind::kAftercare,
                    VettingCaseKind::kConcern}) {
    EXPECT_EQ(ParseVettingCaseKind(VettingCaseKindName(kind)), kind);
  }
  for (auto stage : {VettingStage::kOpened, VettingStage::kChecks, VettingStage::kDecided}) {
    EXPECT_EQ(ParseVettingStage(VettingStageName(stage)), stage);
  }
  EXPECT_FALSE(ParseVettingCaseKind("NEW"));
  EXPECT_EQ(CheckClearanceLevel(" dv ", "level").value(), Clearance::kDV);
  EXPECT_EQ(CheckClearanceLevel("secret", "level").error().field, "level");
  EXPECT_LT(ClearanceRank(Clearance::kBPSS), ClearanceRank(Clearance::kCTC));
  EXPECT_LT(ClearanceRank(Clearance::kSC), ClearanceRank(Clearance::kDV));
}

}  // namespace
}  // namespace pathway::domain
