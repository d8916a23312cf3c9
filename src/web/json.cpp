#include "web/json.hpp"

#include <algorithm>

#include "domain/text.hpp"
#include "web/errors.hpp"

namespace pathway::web {
namespace {

using nlohmann::json;

// Where the parser is, as the members and elements it has entered, so that a body that
// stops parsing at a byte that is not UTF-8 can be refused naming the member.
class ParsePosition {
 public:
  bool OnEvent(int depth, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        if (depth >= kMaxJsonDepth) too_deep_ = true;
        frames_.push_back({event == json::parse_event_t::array_start, {}, 0});
        break;
      case json::parse_event_t::key:
        if (!frames_.empty() && parsed.is_string()) frames_.back().key = parsed.get<std::string>();
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!frames_.empty()) frames_.pop_back();
        Completed();
        break;
      case json::parse_event_t::value:
        Completed();
        break;
    }
    return true;
  }

  bool too_deep() const { return too_deep_; }

  // The member or element being read: "requirements[2].item"; "" outside any member.
  std::string Field() const {
    std::string field;
    for (const Frame& frame : frames_) {
      if (frame.array) {
        field += "[" + std::to_string(frame.index) + "]";
      } else {
        if (frame.key.empty()) break;
        if (!field.empty()) field += '.';
        field += frame.key;
      }
    }
    return field;
  }

 private:
  struct Frame {
    bool array = false;
    std::string key;  // the member being read; empty between members
    std::size_t index = 0;
  };

  // A value ended: the enclosing array moves to its next element, the enclosing object
  // to its next member.
  void Completed() {
    if (frames_.empty()) return;
    if (frames_.back().array) {
      ++frames_.back().index;
    } else {
      frames_.back().key.clear();
    }
  }

  std::vector<Frame> frames_;
  bool too_deep_ = false;
};

std::string Quoted(std::string_view field) {
  return field.empty() ? std::string("The body") : "‘" + std::string(field) + "’";
}

std::string LastName(std::string_view field) {
  const std::size_t dot = field.find_last_of('.');
  std::string_view name = dot == std::string_view::npos ? field : field.substr(dot + 1);
  return std::string(name.substr(0, name.find('[')));
}

struct TextIssue {
  std::string field;
  domain::TextProblem problem;
};

// The first string or member name of `value` (at `field`) that is not text. Nesting is
// bounded by kMaxJsonDepth, checked while parsing.
std::optional<TextIssue> FindBadText(const json& value, const std::string& field,
                                     std::initializer_list<std::string_view> multi_line) {
  switch (value.type()) {
    case json::value_t::string: {
      const std::string name = LastName(field);
      const bool lines = std::find(multi_line.begin(), multi_line.end(), name) != multi_line.end();
      const auto problem = domain::FindTextProblem(
          value.get_ref<const std::string&>(),
          lines ? domain::LineBreaks::kAllowed : domain::LineBreaks::kRefused);
      if (problem) return TextIssue{field, *problem};
      return std::nullopt;
    }
    case json::value_t::object:
      for (const auto& [key, member] : value.items()) {
        const std::string at = field.empty() ? key : field + "." + key;
        if (const auto problem = domain::FindTextProblem(key, domain::LineBreaks::kRefused)) {
          return TextIssue{field, *problem};
        }
        if (auto issue = FindBadText(member, at, multi_line)) return issue;
      }
      return std::nullopt;
    case json::value_t::array:
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (auto issue = FindBadText(value[i], field + "[" + std::to_string(i) + "]", multi_line)) {
          return issue;
        }
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

Response TextRefused(int status, const TextIssue& issue) {
  return ProblemResponse(status, "invalid-input",
                         domain::DescribeTextProblem(issue.problem, Quoted(issue.field)),
                         issue.field.empty() ? std::string_view("body") : issue.field);
}

}  // namespace

std::string JsonText(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

Response JsonResponse(int status, const json& value) {
  return Response::Json(status, JsonText(value));
}

std::variant<json, Response> ReadJsonBody(const Request& request, std::string_view what,
                                          int invalid_status,
                                          std::initializer_list<std::string_view> multi_line) {
  if (!request.Header("content-type").starts_with("application/json")) {
    return ProblemResponse(415, "unsupported-media-type",
                           "Send " + std::string(what) + " as application/json.");
  }
  ParsePosition position;
  json body = json::parse(
      request.body,
      [&position](int depth, json::parse_event_t event, json& parsed) {
        return position.OnEvent(depth, event, parsed);
      },
      /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    // A byte that is not UTF-8, or a control character that is not JSON white space,
    // stops the parser where it is: name the member it was reading.
    const auto problem = domain::FindTextProblem(request.body, domain::LineBreaks::kAllowed);
    if (problem && (problem->fault == domain::TextFault::kNotUtf8 ||
                    problem->fault == domain::TextFault::kControl)) {
      return TextRefused(invalid_status, {position.Field(), *problem});
    }
  }
  if (body.is_discarded() || !body.is_object()) {
    return ProblemResponse(400, "bad-request", "The body is not a JSON object.");
  }
  if (position.too_deep()) {
    return ProblemResponse(
        400, "bad-request",
        "The body nests objects and lists more than " + std::to_string(kMaxJsonDepth) + " deep.");
  }
  if (auto issue = FindBadText(body, "", multi_line)) return TextRefused(invalid_status, *issue);
  return body;
}

}  // namespace pathway::web
