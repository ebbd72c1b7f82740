import { awsFaults } from './awsFaults.ts';
import { describeFaultMatrix } from './FaultMatrix.ts';

describeFaultMatrix('AWS faults', awsFaults);
