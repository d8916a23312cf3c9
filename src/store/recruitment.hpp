// Recruitment's tables: vacancies and their Success Profiles, panels, applications,
// scores, agreed scores, inductions. Called by app/recruitment.cpp inside its units of
// work; nothing here decides who may do what.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/recruitment.hpp"
#include "domain/result.hpp"
#include "store/database.hpp"

namespace pathway::store {

using domain::Result;
using domain::Status;

// A post as a vacancy starts from it.
struct PostForVacancy {
  std::int64_t id = 0;
  std::string external_id;
  std::optional<std::int64_t> role_level_id;
  std::string role_level_code;
  int grade = 0;
  std::string clearance;
  std::string department;
  std::optional<std::int64_t> holder;  // the person in it now
};
Result<std::optional<PostForVacancy>> FindPostForVacancy(Database& db,
                                                         std::string_view external_id);
// The behaviours of the latest published behaviours framework, each with the level its
// grade map gives `grade`; empty when there is none.
struct BehaviourAtGrade {
  std::string item_id;
  std::string title;
  int level = 0;
};
Result<std::vector<BehaviourAtGrade>> BehavioursAtGrade(Database& db, int grade);

Result<std::int64_t> InsertVacancy(Database& db, const domain::Vacancy& v,
                                   std::optional<std::int64_t> post_id,
                                   std::optional<std::int64_t> role_level_id, int grade,
                                   std::optional<std::int64_t> created_by, std::string_view now);
Result<std::optional<domain::Vacancy>> FindVacancy(Database& db, std::int64_t id);
Result<std::vector<domain::Vacancy>> ListOpenVacancies(Database& db, std::string_view today,
                                                       int limit);
Status AddPanelMember(Database& db, std::int64_t vacancy_id, std::int64_t user_id);
Result<bool> IsPanelMember(Database& db, std::int64_t vacancy_id, std::int64_t user_id);
Result<std::optional<std::int64_t>> UserByEmail(Database& db, std::string_view email);
Status SetVacancyStatus(Database& db, std::int64_t id, std::string_view status);

struct ApplicationRecord {
  std::int64_t id = 0;
  std::int64_t vacancy_id = 0;
  std::optional<std::int64_t> person_id;
  std::string name;  // the person's, or the external candidate's
  std::string email;
  std::string status;
  std::string submitted_at;
  std::vector<std::string> statements;  // per element
  bool purged = false;
};
Result<std::int64_t> InsertApplication(Database& db, std::int64_t vacancy_id,
                                       std::optional<std::int64_t> person_id, std::string_view name,
                                       std::string_view email,
                                       const std::vector<std::string>& statements,
                                       std::string_view now);
Result<std::optional<ApplicationRecord>> FindApplication(Database& db, std::int64_t id);
Result<bool> HasApplied(Database& db, std::int64_t vacancy_id, std::int64_t person_id);
Status SaveScore(Database& db, std::int64_t application_id, int position, std::int64_t user_id,
                 int score, std::string_view evidence, std::string_view now);
Status SaveAgreed(Database& db, std::int64_t application_id, int position, int score,
                  std::string_view reason, std::optional<std::int64_t> user_id,
                  std::string_view now);
// One row per application of the vacancy, with its agreed scores by position.
struct ApplicationScores {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::int64_t> person_id;
  std::string status;
  std::string submitted_at;
  std::vector<std::optional<int>> agreed;  // sized by the caller's element count
};
Result<std::vector<ApplicationScores>> ScoresOf(Database& db, std::int64_t vacancy_id,
                                                std::size_t elements);
Status SetApplicationStatus(Database& db, std::int64_t id, std::string_view status,
                            std::string_view now);

// Places the person in the post (from the start date), or creates the person for an
// external candidate; returns the person's id.
Result<std::int64_t> PlaceInPost(Database& db, const ApplicationRecord& a, const domain::Vacancy& v,
                                 std::optional<std::int64_t> post_id, int grade,
                                 std::string_view start_date);
Result<std::int64_t> InsertInduction(Database& db, std::int64_t application_id,
                                     std::int64_t person_id, std::int64_t vacancy_id,
                                     std::string_view start_date, std::string_view now);
Status AddInductionItem(Database& db, std::int64_t induction_id, int position,
                        std::string_view kind, std::string_view text, std::string_view link);
struct InductionRecord {
  std::int64_t id = 0;
  std::int64_t person_id = 0;
  std::string person_name;
  std::int64_t vacancy_id = 0;
  std::string vacancy_title;
  std::string start_date;
  struct Item {
    std::string kind;
    std::string text;
    std::string link;
  };
  std::vector<Item> items;
};
Result<std::optional<InductionRecord>> FindInduction(Database& db, std::int64_t id);
Result<std::optional<std::int64_t>> InductionOfApplication(Database& db,
                                                           std::int64_t application_id);
// The head of a profession and its career framework, for signposting; the post's line
// manager (the holder of the post's unit's... ) is not known: the vacancy's creator is
// the contact. Name and person id of the user.
struct ProfessionSignpost {
  std::string profession;
  std::string name;
  std::string head_name;
  std::string framework_id;
};
Result<std::optional<ProfessionSignpost>> SignpostFor(Database& db, std::int64_t person_id);
Result<std::optional<std::pair<std::int64_t, std::string>>> PersonOfUser(Database& db,
                                                                         std::int64_t user_id);

// Removes the statements, scores and external contact details of unsuccessful
// applications decided before `before`; returns how many.
Result<std::int64_t> PurgeUnsuccessful(Database& db, std::string_view before, std::string_view now);

}  // namespace pathway::store
