// A small CSV of indicators to add to an existing framework's items, such as the
// security behaviours that version 2 of the Civil Service Competency Framework adds
// (data/frameworks/cscf-level5-security-additions.csv). Columns:
//   competency,polarity,text,tags
// competency: the item's exact title; polarity: effective | ineffective; tags: `;`-separated.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/framework.hpp"
#include "interchange/import_problem.hpp"

namespace pathway::interchange {

struct IndicatorAddition {
  std::string item_title;
  domain::IndicatorKind polarity = domain::IndicatorKind::kEffective;
  std::string text;
  std::vector<std::string> tags;
};

// Reads the file. Every problem has its line and column (the field's number).
ImportResult<std::vector<IndicatorAddition>> ParseIndicatorAdditions(std::string_view text);

// Adds each indicator to the item of `framework` with that title, after the item's
// existing indicators of the same polarity, with a name-based id from the framework id,
// item id and text (so applying the same file gives the same ids). Problems (an
// unknown title, an indicator the item already has) are returned and nothing is
// added.
ImportResult<domain::Framework> ApplyIndicatorAdditions(
    domain::Framework framework, const std::vector<IndicatorAddition>& additions);

}  // namespace pathway::interchange
