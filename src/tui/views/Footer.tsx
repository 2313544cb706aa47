import { Box, Text } from 'ink';
import { fit } from '../format/text.js';

/** Status (search progress, notices) on the first line, the keys that work here on the second. */
export function Footer(props: { status: string; keys: string; width: number }) {
  return (
    <Box flexDirection="column" width={props.width}>
      <Text color="yellow" wrap="truncate-end">
        {fit(props.status || ' ', props.width)}
      </Text>
      <Text dimColor wrap="truncate-end">
        {fit(props.keys, props.width)}
      </Text>
    </Box>
  );
}
