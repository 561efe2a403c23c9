#include "ipld/document_arena.h"

#include <algorithm>
#include <cstdlib>

namespace ipvm::ipld {

// The shared part: outlives the DocumentArena that filled it as long as any Value points in.
struct DocumentArena::Block : detail::Owner {
  struct Chunk {
    Chunk* next;
  };
  Chunk* chunks = nullptr;
  Slot* objects = nullptr;
};

namespace {
constexpr size_t kMinChunk = 1024;
constexpr size_t kMaxChunk = size_t{1} << 20;
// Chunk payloads start 16 bytes in, keeping every object 16-byte aligned.
constexpr size_t kChunkHeader = 16;
}  // namespace

DocumentArena::DocumentArena(size_t input_size)
    // A decoded node takes a few times the bytes that encoded it; start near that.
    : next_chunk_(std::clamp(input_size * 2, kMinChunk, kMaxChunk)) {}

DocumentArena::~DocumentArena() {
  if (!block_) return;
  block_->objects = objects_;
  if (block_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) destroy(block_);
}

detail::Owner* DocumentArena::owner() {
  if (!block_) {
    block_ = new Block;
    block_->destroy = &DocumentArena::destroy;
  }
  return block_;
}

void DocumentArena::grow(size_t n) {
  owner();
  size_t size = std::max(next_chunk_, n + kChunkHeader);
  next_chunk_ = std::min(next_chunk_ * 2, kMaxChunk);
  char* raw = static_cast<char*>(std::malloc(size));
  if (!raw) throw std::bad_alloc();
  auto* chunk = reinterpret_cast<Block::Chunk*>(raw);
  chunk->next = block_->chunks;
  block_->chunks = chunk;
  cur_ = raw + kChunkHeader;
  end_ = raw + size;
}

void DocumentArena::destroy(detail::Owner* o) {
  auto* b = static_cast<Block*>(o);
  for (Slot* s = b->objects; s;) {
    Slot* next = s->next;
    s->destroy(s + 1);
    s = next;
  }
  for (Block::Chunk* c = b->chunks; c;) {
    Block::Chunk* next = c->next;
    std::free(c);
    c = next;
  }
  delete b;
}

Value DocumentArena::finish(Value root) {
  if (root.is_shared() && root.borrowed_) {
    // The root takes the arena's own count; this arena lets go without releasing it.
    block_->objects = objects_;
    root.borrowed_ = false;
    block_ = nullptr;
  }
  return root;
}

}  // namespace ipvm::ipld
