import { LabIcon } from '@jupyterlab/ui-components';

import condaEnvsSvgstr from '../../style/icons/conda-envs.svg';
import snapshotSvgstr from '../../style/icons/snapshot.svg';

/**
 * The panel's icon; its `jp-icon3` fill follows the theme.
 */
export const condaEnvsIcon = new LabIcon({
  name: 'jupyterlab-conda-envs:conda-envs',
  svgstr: condaEnvsSvgstr
});

/**
 * "Snapshot environment": a camera, as for taking a picture of the state.
 */
export const snapshotIcon = new LabIcon({
  name: 'jupyterlab-conda-envs:snapshot',
  svgstr: snapshotSvgstr
});
