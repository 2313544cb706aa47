import { Text } from 'ink';
import { fit } from '../format/text.js';

/**
 * One screen line cut to the pane width. The selection is shown as text (`›` in the first
 * column) as well as in inverse video, so it survives a terminal without colour.
 */
export function Line(props: { text: string; width: number; selected?: boolean; bold?: boolean; dim?: boolean; color?: string }) {
  return (
    <Text inverse={props.selected} bold={props.bold} dimColor={props.dim} color={props.color} wrap="truncate-end">
      {fit(props.text, props.width, props.selected)}
    </Text>
  );
}
