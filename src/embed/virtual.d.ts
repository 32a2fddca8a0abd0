// Modules that exist only while src/integrations/embed-bundle.ts bundles the embeds.
declare module 'twg-embed-scenarios:close-explorer' {
  import type { Closer } from '../../components/widgets/CloseExplorer.tsx';
  import type { Scenario } from '../sim/types.ts';

  const scenarios: Record<Closer, Scenario>;
  export default scenarios;
}
