import Comparison from '../components/Comparison.astro';
import Metric from '../components/Metric.astro';
import ModelName from '../components/ModelName.astro';
import RunValue from '../components/RunValue.astro';
import Charts from '../components/sections/Charts.astro';
import ErrorAnalysis from '../components/sections/ErrorAnalysisSection.astro';
import Limitations from '../components/sections/Limitations.astro';
import Results from '../components/sections/Results.astro';
import TradeOffs from '../components/sections/TradeOffs.astro';
import ImpactSentence from '../components/walkthrough/ImpactSentence.astro';
import LeakageAnswer from '../components/walkthrough/LeakageAnswer.astro';
import MoreTimeAnswer from '../components/walkthrough/MoreTimeAnswer.astro';
import ServingAnswer from '../components/walkthrough/ServingAnswer.astro';
import WhyThisModel from '../components/walkthrough/WhyThisModel.astro';

/**
 * The components a builder can use in writeup.mdx and walkthrough.mdx. Value components
 * (Metric, RunValue, ModelName) fail the build when the run lacks what they name; generated
 * sections render what the run recorded and say plainly what it did not.
 */
export const mdxComponents = {
  Metric,
  Comparison,
  ModelName,
  RunValue,
  Results,
  TradeOffs,
  Charts,
  ErrorAnalysis,
  Limitations,
  ImpactSentence,
  WhyThisModel,
  LeakageAnswer,
  ServingAnswer,
  MoreTimeAnswer,
};
