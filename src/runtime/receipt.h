// Receipts: the executor's signed statement of what an invocation produced.
//
// A receipt is a UCAN envelope (varsig, DAG-CBOR) with tag "ucan/rct@1.0.0" whose payload is
//   iss  : the executor's DID (the signer)
//   ran  : link to the invocation that was executed
//   out  : {"ok": value} or {"error": {"name": string, "message": string}}
//   fx   : links to the tasks this one enqueued (a list; empty for plain Wasm tasks)
//   meta : {"fuel": int, "time_us": int, "mod": link, "stdout"?: string, "stderr"?: string, ...}
//   iat  : issued-at, seconds since the Unix epoch
//   prf  : links to the delegations that authorised the executor (a list, usually empty)
// docs/formats.md shows one in DAG-JSON. The receipt's CID is the envelope's CID.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "ipld/cid.h"
#include "ipld/value.h"
#include "ucan/envelope.h"
#include "ucan/signer.h"

namespace ipvm::runtime {

inline constexpr std::string_view kReceiptTag = "ucan/rct@1.0.0";

// Error names used in {"error": {"name": ...}}; stable, tests and docs match on them.
namespace errname {
inline constexpr std::string_view kTrap = "Trap";
inline constexpr std::string_view kOutOfFuel = "OutOfFuel";
inline constexpr std::string_view kOutOfMemory = "OutOfMemory";
inline constexpr std::string_view kTimeout = "Timeout";
inline constexpr std::string_view kExit = "Exit";
inline constexpr std::string_view kMissingExport = "MissingExport";
inline constexpr std::string_view kInvalidArguments = "InvalidArguments";
inline constexpr std::string_view kInvalidResult = "InvalidResult";
inline constexpr std::string_view kInvalidTask = "InvalidTask";
inline constexpr std::string_view kInvalidModule = "InvalidModule";
inline constexpr std::string_view kModuleNotFound = "ModuleNotFound";
inline constexpr std::string_view kUnauthorized = "Unauthorized";
inline constexpr std::string_view kUnsupportedCommand = "UnsupportedCommand";
}  // namespace errname

// out values.
ipld::Value ok_out(ipld::Value value);
ipld::Value error_out(std::string_view name, std::string_view message);

struct Receipt {
  std::string iss;
  ipld::Cid ran;
  ipld::Value out;  // {"ok": v} or {"error": {...}}
  std::vector<ipld::Cid> fx;
  ipld::Value meta;  // a map (empty when absent)
  std::optional<int64_t> iat;
  std::vector<ipld::Cid> prf;
  ucan::Envelope envelope;

  const ipld::Cid& cid() const { return envelope.cid; }
  bool ok() const { return out.find("ok") != nullptr; }
  // The ok value, or nullptr for an error receipt.
  const ipld::Value* ok_value() const { return out.find("ok"); }
  // The error's name and message ("" when ok).
  std::string error_name() const;
  std::string error_message() const;
  // meta["fuel"], 0 when absent.
  uint64_t fuel() const;
};

// Structural checks of the payload (kind "receipt"); the signature is not checked.
Result<Receipt> receipt_from_envelope(ucan::Envelope e);
Result<Receipt> decode_receipt(ByteView bytes);

// Signature (kind "InvalidSignature") against the did:key in iss.
Status verify_receipt_signature(const Receipt& r);

struct ReceiptParams {
  ipld::Cid ran;
  ipld::Value out;
  std::vector<ipld::Cid> fx;
  ipld::Value meta = ipld::Value::map({});
  std::optional<int64_t> iat;
  std::vector<ipld::Cid> prf;
};

// The payload map (iss = signer.did()); exposed for tests and the unsigned benchmark path.
ipld::Value receipt_payload(std::string_view iss, const ReceiptParams& p);
Result<Receipt> sign_receipt(const ucan::Signer& signer, const ReceiptParams& p);
// The same, taking the values over: the receipt's fields are moved from `p` rather than read back
// from the signed payload (which holds copies of them).
Result<Receipt> sign_receipt(const ucan::Signer& signer, ReceiptParams&& p);

}  // namespace ipvm::runtime
