/**
 * The query GraphiQL opens with. It only names fields every AppStream account has, so it runs
 * as it is against any account (and against the embedded emulator's demo data).
 */
export const DEFAULT_QUERY = `# Welcome to the AppStream GraphQL gateway.
#
# Every list is a Relay cursor connection:
# \`first: N\` returns the first N items, and
# \`pageInfo.endCursor\` is a cursor: pass it back
# as \`after: "<endCursor>"\` (other arguments
# unchanged) for the next N, for as long as
# \`pageInfo.hasNextPage\` is true. Cursors are
# opaque: copy them, never build them.
#
# Run with ▶ (or Ctrl/Cmd-Enter). On the left:
# the docs (book icon), the explorer (builds a
# query by clicking fields) and the history.
# "Headers" below sends, for example, an
# Authorization header.
query StacksFleetsSessions {
  stacks(first: 5) {
    nodes {
      name
      fleets {
        name
        state
        # This fleet's first 5 sessions through
        # this stack, in AppStream's order. Next 5:
        # sessions(first: 5, after: "<endCursor>")
        sessions(first: 5) {
          edges {
            cursor
            node {
              sessionId
              userId
              state
              connectionState
              startTime
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`;
