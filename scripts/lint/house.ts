/**
 * The project's own lint rules, loaded by `deno lint` (see `lint.plugins` in deno.json).
 *
 * - `house/function-length`: a function of more than {@linkcode MAX_FUNCTION_LINES} lines needs a
 *   written reason in a comment above it (or above the statement that holds it), beginning
 *   `Long:` (for example `// Long: one table of routes, read top to bottom.`). Test files are
 *   exempt: a test's length is its steps.
 *
 * @module
 */

/** The most lines a function may span without a written reason. */
export const MAX_FUNCTION_LINES = 80;

const REASON = /(^|\n)\s*\*?\s*Long:\s*\S/;

type Node = Deno.lint.Node;

function lineCount(text: string): number {
  let n = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** True when a node or one of its holders up to the enclosing statement carries a reason. */
function hasReason(ctx: Deno.lint.RuleContext, node: Node): boolean {
  for (let at: Node | undefined = node; at; at = (at as { parent?: Node }).parent) {
    if (ctx.sourceCode.getCommentsBefore(at).some((c) => REASON.test(c.value))) return true;
    if (at.type === "Program" || at.type.endsWith("Statement") && at !== node) break;
  }
  return false;
}

function checkLength(ctx: Deno.lint.RuleContext, node: Node & { range: Deno.lint.Range }): void {
  if (/[._]test\.tsx?$|\/tests\//.test(ctx.filename)) return;
  const lines = lineCount(ctx.sourceCode.text.slice(node.range[0], node.range[1]));
  if (lines <= MAX_FUNCTION_LINES || hasReason(ctx, node)) return;
  ctx.report({
    node,
    message: `function of ${lines} lines (at most ${MAX_FUNCTION_LINES})`,
    hint: "Split it, or write the reason in a comment above it, starting `Long:`.",
  });
}

const plugin: Deno.lint.Plugin = {
  name: "house",
  rules: {
    "function-length": {
      create(ctx) {
        return {
          FunctionDeclaration: (node) => checkLength(ctx, node),
          FunctionExpression: (node) => checkLength(ctx, node),
          ArrowFunctionExpression: (node) => checkLength(ctx, node),
        };
      },
    },
  },
};

export default plugin;
