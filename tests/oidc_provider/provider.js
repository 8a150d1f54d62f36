// A real OpenID Connect provider (the npm package oidc-provider) on loopback, for
// the identified-signing tests (tests/workflows/test_oidc_signing.py). It speaks the
// protocol as a Swedish identity broker would: authorization code flow, signed ID
// tokens with acr, amr and auth_time. Only the login screen is a test stand-in: the
// test says who logs in, with which acr and amr, how long ago, or that the person
// cancelled, by opening /interaction/<uid>/login?... or /interaction/<uid>/abort.
//
//   PORT=…  REDIRECT_URI=…  node provider.js
import Provider from "oidc-provider";

const port = Number(process.env.PORT);
const NUMBER_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber";
const issuer = `http://127.0.0.1:${port}`;

const configuration = {
  clients: [
    {
      client_id: "samverkan",
      client_secret: "test-secret-not-for-production",
      redirect_uris: [process.env.REDIRECT_URI],
      response_types: ["code"],
      grant_types: ["authorization_code"],
    },
  ],
  acrValues: [
    "http://id.elegnamnden.se/loa/1.0/loa2",
    "http://id.elegnamnden.se/loa/1.0/loa3",
  ],
  claims: { openid: ["sub", "amr", NUMBER_CLAIM] },
  // A subject "pnr-<digits>" also reports that personal identity number, as Swedish
  // brokers do in this claim.
  async findAccount(ctx, sub) {
    const number = sub.startsWith("pnr-") ? sub.slice(4) : undefined;
    return {
      accountId: sub,
      async claims() {
        return number ? { sub, [NUMBER_CLAIM]: number } : { sub };
      },
    };
  },
  // Consent is the broker's business, not Samverkan's: every login gets its grant.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid");
    await grant.save();
    return grant;
  },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  pkce: { required: () => false },
  cookies: { keys: ["samverkan-test-only"] },
};

const provider = new Provider(issuer, configuration);

provider.use(async (ctx, next) => {
  const found = ctx.path.match(/^\/interaction\/([^/]+)(?:\/(login|abort))?$/);
  if (!found) return next();
  const [, uid, step] = found;
  if (!step) {
    ctx.type = "html";
    ctx.body = `<p>Logga in</p><a href="/interaction/${uid}/login?sub=">login</a>`;
    return undefined;
  }
  const q = ctx.query;
  const result =
    step === "abort"
      ? { error: "access_denied", error_description: "Användaren avbröt" }
      : {
          login: {
            accountId: q.sub,
            acr: q.acr || undefined,
            amr: q.amr ? q.amr.split(" ") : undefined,
            ts: Math.floor(Date.now() / 1000) - Number(q.age || 0),
          },
        };
  const to = await provider.interactionResult(ctx.req, ctx.res, result, {
    mergeWithLastSubmission: false,
  });
  ctx.redirect(to);
  return undefined;
});

provider.listen(port, "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
