-- A small publishing schema: the demo loads it into SQLite and imports it.
PRAGMA foreign_keys = ON;

CREATE TABLE authors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(320) NOT NULL UNIQUE,
    display_name VARCHAR(100) NOT NULL,
    bio TEXT,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES categories (id) ON DELETE SET NULL,
    slug VARCHAR(80) NOT NULL UNIQUE,
    title VARCHAR(200) NOT NULL
);

CREATE TABLE posts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    category_id INTEGER REFERENCES categories (id) ON DELETE SET NULL,
    slug VARCHAR(200) NOT NULL,
    title VARCHAR(300) NOT NULL,
    body TEXT NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'review', 'published', 'archived')),
    published_at TIMESTAMP,
    UNIQUE (author_id, slug)
);

CREATE INDEX posts_published_idx ON posts (published_at DESC) WHERE status = 'published';
CREATE INDEX posts_category_idx ON posts (category_id);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    reply_to_id INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    author_email VARCHAR(320) NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX comments_post_idx ON comments (post_id, created_at);

CREATE TABLE post_revisions (
    post_id INTEGER NOT NULL,
    revision INTEGER NOT NULL,
    body TEXT NOT NULL,
    saved_at TIMESTAMP NOT NULL,
    PRIMARY KEY (post_id, revision),
    FOREIGN KEY (post_id) REFERENCES posts (id) ON DELETE CASCADE
);

CREATE VIEW published_posts AS
    SELECT p.id, p.title, a.display_name AS author, p.published_at
    FROM posts AS p JOIN authors AS a ON a.id = p.author_id
    WHERE p.status = 'published';
