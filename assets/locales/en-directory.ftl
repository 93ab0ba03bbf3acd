# en-directory: messages of this area (kept in step with the other language)
