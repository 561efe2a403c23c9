// Revoked delegations, by CID. An invocation whose proof chain contains one is refused with kind
// "Revoked". RevocationList is the interface the validator reads; RevocationSet keeps CIDs in
// memory; RevocationFile also persists them as text, one CID per line ('#' starts a comment), in a
// file in the ipvm home (revocation_path). Revocation is irreversible, so the file only grows.
#pragma once

#include <shared_mutex>
#include <string>
#include <unordered_set>

#include "base/error.h"
#include "ipld/cid.h"

namespace ipvm::ucan {

class RevocationList {
 public:
  virtual ~RevocationList() = default;
  virtual bool is_revoked(const ipld::Cid& cid) const = 0;
};

class RevocationSet : public RevocationList {
 public:
  bool is_revoked(const ipld::Cid& cid) const override;
  // Returns false if it was already revoked.
  bool add(const ipld::Cid& cid);
  size_t size() const;

 private:
  mutable std::shared_mutex mu_;
  std::unordered_set<ipld::Cid> set_;
};

std::string revocation_path(const std::string& home);  // HOME/revoked.txt

class RevocationFile : public RevocationSet {
 public:
  // A missing file is an empty list; a malformed line is an error naming it (kind "revocation").
  static Result<std::unique_ptr<RevocationFile>> open(std::string path);
  // Records the CID in memory and appends it to the file (no-op if already present).
  Status revoke(const ipld::Cid& cid);
  const std::string& path() const { return path_; }

 private:
  explicit RevocationFile(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace ipvm::ucan
