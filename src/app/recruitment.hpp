// Recruitment from the frameworks: a vacancy's Success Profile is built from the
// behaviours at the grade's level and the role level's technical requirements (plus
// strengths, experience and abilities), with the stages that assess each; candidates
// apply with a statement per element; panel members score each element 1 to 7 and agree
// a score with a reason; the merit list orders candidates with documented tie-breaks; an
// accepted offer places the person in the post, writes the agreed scores to the ledger
// as "recruitment" and starts an induction. Every write runs through the kernel.
//
// Policy actions (policy/access.csv):
//   vacancy.create      create a vacancy (recruiters; HR partners for their department)
//   vacancy.read        read an open vacancy and its Success Profile (everyone signed in)
//   vacancy.manage      panel, external candidates, merit list, offers, inductions
//                       (the recruiter who owns it; HR partners of the department)
//   application.submit  apply to an open vacancy (an individual, for themselves)
//   application.score   score and agree scores: the body requires panel membership
//   recruitment.purge   remove unsuccessful candidates' data (the system)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/policy.hpp"
#include "app/unit_of_work.hpp"
#include "domain/recruitment.hpp"
#include "domain/result.hpp"

namespace pathway::app {

using domain::Result;
using domain::Status;

struct VacancyInput {
  std::string title;
  std::string department;  // for a new post; a post's own department otherwise
  std::string post;        // external id of the post to fill; empty: a new post
  std::string grade;       // for a new post
  std::string clearance;   // for a new post; empty: BPSS
  std::string role_level;  // for a new post: its technical requirements; may be empty
  int posts = 1;
  std::string closes_on;
  std::vector<std::string> behaviour_stages{"application", "interview"};
  std::vector<std::string> technical_stages{"application", "interview"};
  std::vector<domain::ProfileElement> other_elements;  // strengths, experience, abilities
};

struct ScoreInput {
  int element = 0;
  int score = 0;
  std::string text;  // evidence, or the reason for an agreed score
};

struct ApplicationView {
  std::int64_t id = 0;
  std::int64_t vacancy_id = 0;
  std::string candidate;  // anonymised ("Candidate 3") for panel members
  bool anonymised = false;
  std::string status;
  std::string submitted_at;
  std::vector<std::string> statements;
  std::vector<std::optional<int>> my_scores;
  std::vector<std::optional<int>> agreed;
  bool own = false;
};

struct MeritList {
  domain::Vacancy vacancy;
  std::vector<domain::MeritEntry> entries;  // ordered; the first `posts` passing are appointable
  int appointable = 0;                      // passing entries within the number of posts
  int reserve = 0;                          // passing entries after them
  bool names_visible = false;
};

struct Induction {
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

class RecruitmentService {
 public:
  explicit RecruitmentService(UnitOfWork& kernel) : kernel_(kernel) {}

  // Builds the Success Profile from the frameworks and opens the vacancy.
  Result<domain::Vacancy> CreateVacancy(const Actor& actor, const VacancyInput& input);
  Result<domain::Vacancy> GetVacancy(const Actor& actor, std::int64_t id);
  Result<std::vector<domain::Vacancy>> ListOpen(const Actor& actor);
  // Whether the actor manages the vacancy (its owner, HR of its department, admins).
  Result<bool> Manages(const Actor& actor, std::int64_t vacancy_id);
  Status AddPanelMember(const Actor& actor, std::int64_t vacancy_id, const std::string& email);

  // An individual applies for themselves; statements one per element.
  Result<std::int64_t> Apply(const Actor& actor, std::int64_t vacancy_id,
                             const std::vector<std::string>& statements);
  // The vacancy's manager enters an external candidate (name and email only).
  Result<std::int64_t> AddExternalCandidate(const Actor& actor, std::int64_t vacancy_id,
                                            const std::string& name, const std::string& email,
                                            const std::vector<std::string>& statements);
  Result<ApplicationView> GetApplication(const Actor& actor, std::int64_t id);
  // A panel member's own scores, and the panel's agreed scores with reasons.
  Status Score(const Actor& actor, std::int64_t application_id,
               const std::vector<ScoreInput>& scores);
  Status AgreeScores(const Actor& actor, std::int64_t application_id,
                     const std::vector<ScoreInput>& scores);
  Result<MeritList> GetMeritList(const Actor& actor, std::int64_t vacancy_id);
  // Accepts an offer to an appointable candidate: places them in the post, writes the
  // ledger, starts the induction; returns the induction's id.
  Result<std::int64_t> AcceptOffer(const Actor& actor, std::int64_t application_id,
                                   const std::string& start_date);
  Result<Induction> GetInduction(const Actor& actor, std::int64_t id);
  // Removes unsuccessful candidates' data decided more than `days` ago (the system).
  Result<std::int64_t> Purge(const Actor& actor, int days);

 private:
  UnitOfWork& kernel_;
};

}  // namespace pathway::app
