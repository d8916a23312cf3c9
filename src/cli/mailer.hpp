// Sends notices by SMTP with libcurl, for `pathway notify send`.
#pragma once

#include <string>

#include "app/performance.hpp"

namespace pathway::cli {

struct SmtpSettings {
  std::string url;   // smtp://host:port or smtps://host:port
  std::string from;  // the sender's address
  std::string user;  // empty: no authentication
  std::string password;
  long timeout_seconds = 30;
};

// A mailer that sends each message as UTF-8 plain text. Header values are checked: an
// address or subject holding a line break, or an address with angle brackets, is refused
// rather than sent.
app::Mailer SmtpMailer(SmtpSettings settings);

// The message as sent (headers and body, CRLF line ends, dot-stuffing left to curl);
// exposed for tests. kInvalidInput naming the header for a value that cannot be sent.
domain::Result<std::string> SmtpMessage(const std::string& from, const std::string& to,
                                        const std::string& name, const std::string& subject,
                                        const std::string& body, const std::string& date,
                                        const std::string& message_id);

}  // namespace pathway::cli
