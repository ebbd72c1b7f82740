import type { BenchSection } from './BenchSection.ts';
import { readerSection } from './readerSection.ts';
import { refresherSection } from './refresherSection.ts';

/** Every section of `npm run bench`, in the order they run. Add a section here. */
export const sections: readonly BenchSection[] = [readerSection, refresherSection];
