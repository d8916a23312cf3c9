#include "cli/mailer.hpp"

#include <curl/curl.h>
#include <sodium.h>

#include <chrono>
#include <cstring>
#include <ctime>
#include <mutex>

#include <fmt/format.h>

namespace pathway::cli {
namespace {

using domain::Error;

bool HasLineBreak(const std::string& text) {
  return text.find_first_of("\r\n") != std::string::npos || text.find('\0') != std::string::npos;
}

bool PlainAscii(const std::string& text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

// RFC 2047 encoded-word (base64, UTF-8) when the text is not plain ASCII.
std::string EncodedWord(const std::string& text) {
  if (PlainAscii(text)) return text;
  std::string out(sodium_base64_encoded_len(text.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()),
                    text.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return "=?UTF-8?B?" + out + "?=";
}

Error BadHeader(const char* header) {
  return Error::InvalidInput(
      header, fmt::format("The {} header would hold a line break or angle brackets", header));
}

bool AddressOk(const std::string& address) {
  return !address.empty() && !HasLineBreak(address) &&
         address.find_first_of("<>,; \t") == std::string::npos &&
         address.find('@') != std::string::npos;
}

std::string RfcDate() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S +0000", &utc);
  return buffer;
}

struct Payload {
  std::string text;
  std::size_t sent = 0;
};

std::size_t ReadPayload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* payload = static_cast<Payload*>(user);
  const std::size_t room = size * count;
  const std::size_t left = payload->text.size() - payload->sent;
  const std::size_t n = std::min(room, left);
  std::memcpy(buffer, payload->text.data() + payload->sent, n);
  payload->sent += n;
  return n;
}

std::once_flag curl_init;

}  // namespace

domain::Result<std::string> SmtpMessage(const std::string& from, const std::string& to,
                                        const std::string& name, const std::string& subject,
                                        const std::string& body, const std::string& date,
                                        const std::string& message_id) {
  if (!AddressOk(from)) return BadHeader("From");
  if (!AddressOk(to)) return BadHeader("To");
  if (HasLineBreak(name) || name.find_first_of("<>\"") != std::string::npos) return BadHeader("To");
  if (HasLineBreak(subject)) return BadHeader("Subject");
  std::string message;
  message += "Date: " + date + "\r\n";
  message += "From: Pathway <" + from + ">\r\n";
  message += "To: " + (name.empty() ? "" : "\"" + EncodedWord(name) + "\" ") + "<" + to + ">\r\n";
  message += "Message-ID: <" + message_id + ">\r\n";
  message += "Subject: " + EncodedWord(subject) + "\r\n";
  message +=
      "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: "
      "8bit\r\n\r\n";
  // Body lines end in CRLF; a lone CR is dropped.
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\r') continue;
    if (body[i] == '\n') {
      message += "\r\n";
    } else {
      message += body[i];
    }
  }
  message += "\r\n";
  return message;
}

app::Mailer SmtpMailer(SmtpSettings settings) {
  std::call_once(curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  return [settings](const std::string& to, const std::string& name, const std::string& subject,
                    const std::string& body) -> domain::Status {
    unsigned char random[12];
    randombytes_buf(random, sizeof random);
    std::string id;
    for (unsigned char b : random) id += fmt::format("{:02x}", b);
    const auto at = settings.from.find('@');
    const std::string host = at == std::string::npos ? "pathway" : settings.from.substr(at + 1);
    PATHWAY_ASSIGN_OR_RETURN(
        auto text, SmtpMessage(settings.from, to, name, subject, body, RfcDate(), id + "@" + host));
    Payload payload{std::move(text), 0};
    CURL* curl = curl_easy_init();
    if (curl == nullptr) return Error::Unavailable("Could not start libcurl");
    curl_slist* recipients = curl_slist_append(nullptr, ("<" + to + ">").c_str());
    const std::string from = "<" + settings.from + ">";
    curl_easy_setopt(curl, CURLOPT_URL, settings.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadPayload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &payload);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, settings.timeout_seconds);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (!settings.user.empty()) {
      curl_easy_setopt(curl, CURLOPT_USERNAME, settings.user.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, settings.password.c_str());
      // Credentials only over TLS: STARTTLS is required on smtp://.
      curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    }
    const CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(recipients);
    curl_easy_cleanup(curl);
    if (code != CURLE_OK) return Error::Unavailable(curl_easy_strerror(code));
    return domain::Ok{};
  };
}

}  // namespace pathway::cli
