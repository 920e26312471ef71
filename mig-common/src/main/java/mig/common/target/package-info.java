/**
 * Action targets as data (spec §6.3). MIG's targets are SQL WHERE fragments over the
 * {@code agents} table that the original pasted into its agent query. Here a target string is
 * tokenized and parsed ({@link mig.common.target.Target#parse}) into a sealed tree of records
 * that admits only:
 *
 * <ul>
 *   <li>the columns of {@code agents} ({@link mig.common.target.Column}), optionally written
 *       {@code agents.<column>}, case-insensitive;</li>
 *   <li>JSON operators {@code -> ->> #> #>>} on {@code environment} and {@code tags};</li>
 *   <li>{@code = <> != < <= > >=}, {@code [NOT] LIKE}, {@code [NOT] ILIKE}, {@code ~ ~* !~ !~*},
 *       {@code [NOT] IN (literals)}, {@code IS [NOT] NULL}, {@code AND OR NOT}, parentheses,
 *       {@code TRUE}/{@code FALSE};</li>
 *   <li>string and number literals, {@code NOW()} and {@code NOW() +/- interval 'n unit'};</li>
 *   <li>the result-chaining subquery of {@code mig -target-found/-target-notfound}.</li>
 * </ul>
 *
 * Everything else is refused with a {@link mig.common.target.TargetSyntaxException} naming the
 * token and its position. {@link mig.common.target.TargetCompiler} turns the tree into SQL with
 * {@code ?} parameters and {@link mig.common.target.TargetQuery} wraps it in the agent query.
 *
 * <p>Pipeline: {@code Tokenizer} (refuses {@code ; -- /* $ " \ ::}, prefixed strings, stray
 * characters, over-long input) → {@code Parser} + {@code ResultChainParser} (grammar, whitelist,
 * types, depth limit) → records (check their own invariants) → {@code TargetCompiler} (one walk,
 * SQL and parameters together).
 */
package mig.common.target;
