// `npm install` / `npm ci` in a clone: builds the server, the inbox and the site chat widget now,
// so the first `npm start` starts at once (it only rebuilds what changed since).
// A failed build does not fail the install: the dependencies are in place, the message says what
// did not build, and `npm start` builds it again and stops there with the same errors.
// package.json runs this file only where it exists: the Dockerfile's `npm ci` runs before the
// sources are copied in (and builds them itself afterwards).
import { BuildError, buildToolsInstalled, buildWhatIsStale } from './build.mjs';

if (!buildToolsInstalled()) {
  console.log('npm install: TypeScript and Vite are not installed (dev dependencies omitted): nothing built now.');
} else {
  try {
    buildWhatIsStale();
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    console.warn(
      `\nnpm install: ${error.message} (the errors are above). The dependencies are installed;` +
        ' `npm start` builds it again and stops with the same errors until they are fixed.\n',
    );
  }
}
